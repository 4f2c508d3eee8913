// The analytics subgraph: consumes playback events into viewing facts and running totals per title, and
// serves `trending`, `contentAnalytics` (staff), `viewingStats` and the operators' `serviceStatuses` (staff).
// Built from the deps start-up hands in: its services once, the resolvers with them, and the consumer on start.
import { buildFederatedSchema, startSubgraphConsumer, type SubgraphConsumerSetting, type SubgraphDefinition } from "@watchflixx/common";
import type { SubgraphDeps, SubgraphModule } from "@watchflixx/common";
import { analyticsConfigSchema, type AnalyticsConfig } from "./config.ts";
import { ContentRef } from "./entities/references.ts";
import { createLoaders, type AnalyticsLoaders } from "./loaders.ts";
import { AnalyticsResolver } from "./resolvers/analytics.resolver.ts";
import { ServiceStatusResolver } from "./resolvers/service-status.resolver.ts";
import { AnalyticsService } from "./services/analytics.service.ts";
import { playbackHandlers } from "./services/playback-events.ts";
import { StatusService } from "./services/status.service.ts";
import { TrendingService } from "./services/trending.service.ts";

export type { AnalyticsLoaders } from "./loaders.ts";
export { analyticsConfigSchema, type AnalyticsConfig } from "./config.ts";
export { playbackHandlers } from "./services/playback-events.ts";

export interface AnalyticsSubgraphOptions {
  /**
   * The playback-event consumer, started with the server (default on, waking through the bus's Redis).
   * `false` leaves it off (a test that drives the consumer itself); `{ redisUrl: null, pollIntervalMs }` polls only.
   */
  consumer?: SubgraphConsumerSetting;
}

export async function createAnalyticsSubgraph(deps: SubgraphDeps<AnalyticsConfig>, options: AnalyticsSubgraphOptions = {}): Promise<SubgraphDefinition<AnalyticsLoaders>> {
  const { schema, sdl } = await buildFederatedSchema({
    resolverInstances: [
      new AnalyticsResolver(new AnalyticsService(deps.db, deps.profileAccess), new TrendingService(deps.db, deps.profileAccess)),
      new ServiceStatusResolver(new StatusService(deps.db)),
    ],
    orphanedTypes: [ContentRef],
  });
  return {
    name: "analytics",
    schema,
    sdl,
    createLoaders,
    async onStart() {
      const consumer = startSubgraphConsumer("analytics", playbackHandlers, deps, options.consumer);
      return async () => consumer?.stop();
    },
  };
}

/** The analytics module with its consumer set as `options` say (tests: polling only, or off). */
export function analyticsSubgraphWith(options: AnalyticsSubgraphOptions): SubgraphModule<AnalyticsConfig, AnalyticsLoaders> {
  return { name: "analytics", configSchema: analyticsConfigSchema, create: (deps) => createAnalyticsSubgraph(deps, options) };
}

/** What main.ts, the harnesses and embedded mode start: `launchSubgraph(analyticsSubgraph, ...)`. */
export const analyticsSubgraph: SubgraphModule<AnalyticsConfig, AnalyticsLoaders> = analyticsSubgraphWith({});
