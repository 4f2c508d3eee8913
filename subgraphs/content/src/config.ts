// The content subgraph's configuration: the shared base (packages/common/src/config.ts) and CONTENT_PORT.
// It has no settings of its own; a subgraph that has some passes them as zod fields to defineSubgraphConfig.
import { defineSubgraphConfig, type ConfigOf } from "@watchflixx/common";

export const contentConfigSchema = defineSubgraphConfig("content");

export type ContentConfig = ConfigOf<typeof contentConfigSchema>;
