// The analytics subgraph's configuration: the shared base (packages/common/src/config.ts) and ANALYTICS_PORT.
// Its consumer wakes through the bus's Redis (REDIS_URL) and polls service_events besides.
import { defineSubgraphConfig, type ConfigOf } from "@watchflixx/common";

export const analyticsConfigSchema = defineSubgraphConfig("analytics");

export type AnalyticsConfig = ConfigOf<typeof analyticsConfigSchema>;
