// The streaming subgraph's configuration: the shared base (packages/common/src/config.ts) and STREAMING_PORT.
// Its rate limits (playback starts per profile, progress reports per account) are the base's RATE_LIMITS.
import { defineSubgraphConfig, type ConfigOf } from "@watchflixx/common";

export const streamingConfigSchema = defineSubgraphConfig("streaming");

export type StreamingConfig = ConfigOf<typeof streamingConfigSchema>;
