// The streaming subgraph: playback sessions and entitlement, watch progress, watchlists, ratings and reviews.
// Built from the deps start-up hands in: its services once, then the resolvers with the services they use.
import { buildFederatedSchema, type SubgraphDefinition, type SubgraphDeps, type SubgraphModule } from "@watchflixx/common";
import { streamingConfigSchema, type StreamingConfig } from "./config.ts";
import { ContentRef, EpisodeRef, ProfileRef } from "./entities/references.ts";
import { createLoaders, type Loaders } from "./loaders.ts";
import { ContentResolver } from "./resolvers/content.resolver.ts";
import { contentReference } from "./resolvers/content.reference.ts";
import { LibraryResolver } from "./resolvers/library.resolver.ts";
import { PlaybackResolver } from "./resolvers/playback.resolver.ts";
import { ProfileResolver } from "./resolvers/profile.resolver.ts";
import { profileReference } from "./resolvers/profile.reference.ts";
import { PlaybackService } from "./services/playback.service.ts";
import { ProgressService } from "./services/progress.service.ts";
import { RatingService } from "./services/rating.service.ts";
import { ViewerProfiles } from "./services/viewer.ts";
import { WatchlistService } from "./services/watchlist.service.ts";

export type { Loaders } from "./loaders.ts";
export { streamingConfigSchema, type StreamingConfig } from "./config.ts";

export async function createStreamingSubgraph(deps: SubgraphDeps<StreamingConfig>): Promise<SubgraphDefinition<Loaders>> {
  const viewers = new ViewerProfiles(deps.db, deps.profileAccess);
  const playback = new PlaybackService(deps.db, deps.rateLimits, viewers);
  const progress = new ProgressService(deps.db, viewers);
  const ratings = new RatingService(deps.db, viewers);
  const watchlist = new WatchlistService(deps.db, viewers);
  const { schema, sdl } = await buildFederatedSchema({
    resolverInstances: [
      new PlaybackResolver(playback, progress),
      new LibraryResolver(watchlist, ratings),
      new ContentResolver(ratings, progress),
      new ProfileResolver(watchlist),
    ],
    orphanedTypes: [ContentRef, EpisodeRef, ProfileRef],
    // Content and Profile belong to others: streaming resolves their keys only (no service needed).
    referenceResolvers: { Content: contentReference, Profile: profileReference },
  });
  return { name: "streaming", schema, sdl, createLoaders };
}

/** What main.ts, the harnesses and embedded mode start: `launchSubgraph(streamingSubgraph, ...)`. */
export const streamingSubgraph: SubgraphModule<StreamingConfig, Loaders> = {
  name: "streaming",
  configSchema: streamingConfigSchema,
  create: createStreamingSubgraph,
};
