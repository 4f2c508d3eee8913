// The content subgraph: the catalog (titles, seasons, episodes, credits, subtitle languages), browse and
// full-text search with parental controls, and staff editing.
import { buildFederatedSchema, type SubgraphDefinition } from "@watchflixx/common";
import { Content } from "./entities/content.ts";
import { Episode } from "./entities/episode.ts";
import { Season } from "./entities/season.ts";
import { createLoaders, type Loaders } from "./loaders.ts";
import { ContentConnectionResolver } from "./resolvers/connection.resolver.ts";
import { ContentResolver } from "./resolvers/content.resolver.ts";
import { contentReferenceResolver } from "./resolvers/content.reference.ts";
import { EditorialResolver } from "./resolvers/editorial.resolver.ts";
import { EpisodeResolver } from "./resolvers/episode.resolver.ts";
import { episodeReferenceResolver } from "./resolvers/episode.reference.ts";
import { SeasonResolver } from "./resolvers/season.resolver.ts";
import { seasonReferenceResolver } from "./resolvers/season.reference.ts";

export type { Loaders } from "./loaders.ts";

export async function createContentSubgraph(): Promise<SubgraphDefinition<Loaders>> {
  const { schema, sdl } = await buildFederatedSchema({
    resolvers: [ContentResolver, ContentConnectionResolver, SeasonResolver, EpisodeResolver, EditorialResolver],
    orphanedTypes: [Content, Season, Episode],
    referenceResolvers: {
      Content: contentReferenceResolver,
      Season: seasonReferenceResolver,
      Episode: episodeReferenceResolver,
    },
  });
  return { name: "content", schema, sdl, createLoaders };
}
