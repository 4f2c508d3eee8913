// The analytics subgraph: consumes playback events into viewing facts and running totals per title, and
// serves `trending`, `contentAnalytics` (staff), `viewingStats` and the operators' `serviceStatuses` (staff).
import { buildFederatedSchema, startSubgraphConsumer, type SubgraphConsumerSetting, type SubgraphDefinition } from "@watchflixx/common";
import { ContentRef } from "./entities/references.ts";
import { createLoaders, type AnalyticsLoaders } from "./loaders.ts";
import { AnalyticsResolver } from "./resolvers/analytics.resolver.ts";
import { ServiceStatusResolver } from "./resolvers/service-status.resolver.ts";
import { playbackHandlers } from "./services/playback-events.ts";

export type { AnalyticsLoaders } from "./loaders.ts";
export { playbackHandlers } from "./services/playback-events.ts";

export interface AnalyticsSubgraphOptions {
  /**
   * The playback-event consumer, started with the server (default on, waking on the configuration's REDIS_URL).
   * `false` leaves it off (a test that drives the consumer itself).
   */
  consumer?: SubgraphConsumerSetting;
}

export async function createAnalyticsSubgraph(options: AnalyticsSubgraphOptions = {}): Promise<SubgraphDefinition<AnalyticsLoaders>> {
  const { schema, sdl } = await buildFederatedSchema({
    resolvers: [AnalyticsResolver, ServiceStatusResolver],
    orphanedTypes: [ContentRef],
  });
  return {
    name: "analytics",
    schema,
    sdl,
    createLoaders,
    async onStart(_httpServer, deps) {
      const consumer = startSubgraphConsumer("analytics", playbackHandlers, deps, options.consumer);
      return async () => consumer?.stop();
    },
  };
}
