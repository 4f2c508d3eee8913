// The auth subgraph's configuration: the shared base (packages/common/src/config.ts: JWT_ACCESS_SECRET signs the
// access tokens, the gateway verifies them with the same value) and AUTH_PORT. It has no settings of its own.
import { defineSubgraphConfig, type ConfigOf } from "@watchflixx/common";

export const authConfigSchema = defineSubgraphConfig("auth");

export type AuthConfig = ConfigOf<typeof authConfigSchema>;
