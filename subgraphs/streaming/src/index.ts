// The streaming subgraph: playback sessions and entitlement, watch progress, watchlists, ratings and reviews.
import { buildFederatedSchema, type SubgraphDefinition } from "@watchflixx/common";
import { ContentRef, EpisodeRef, ProfileRef } from "./entities/references.ts";
import { createLoaders, type Loaders } from "./loaders.ts";
import { ContentResolver } from "./resolvers/content.resolver.ts";
import { contentReference } from "./resolvers/content.reference.ts";
import { LibraryResolver } from "./resolvers/library.resolver.ts";
import { PlaybackResolver } from "./resolvers/playback.resolver.ts";
import { ProfileResolver } from "./resolvers/profile.resolver.ts";
import { profileReference } from "./resolvers/profile.reference.ts";

export type { Loaders } from "./loaders.ts";

export async function createStreamingSubgraph(): Promise<SubgraphDefinition<Loaders>> {
  const { schema, sdl } = await buildFederatedSchema({
    resolvers: [PlaybackResolver, LibraryResolver, ContentResolver, ProfileResolver],
    orphanedTypes: [ContentRef, EpisodeRef, ProfileRef],
    referenceResolvers: { Content: contentReference, Profile: profileReference },
  });
  return { name: "streaming", schema, sdl, createLoaders };
}
