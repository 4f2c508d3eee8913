// The content subgraph: the catalog (titles, seasons, episodes, credits, subtitle languages), browse and
// full-text search with parental controls, and staff editing. Built from the deps start-up hands in: its
// services once, then the resolvers with the services they use.
import { buildFederatedSchema, type SubgraphDefinition, type SubgraphDeps, type SubgraphModule } from "@watchflixx/common";
import { contentConfigSchema, type ContentConfig } from "./config.ts";
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
import { CatalogService } from "./services/catalog.service.ts";
import { EditorialService } from "./services/editorial.service.ts";

export type { Loaders } from "./loaders.ts";
export { contentConfigSchema, type ContentConfig } from "./config.ts";

export async function createContentSubgraph(deps: SubgraphDeps<ContentConfig>): Promise<SubgraphDefinition<Loaders>> {
  const catalog = new CatalogService(deps.db, deps.profileAccess);
  const editorial = new EditorialService(deps.db);
  const { schema, sdl } = await buildFederatedSchema({
    resolverInstances: [
      new ContentResolver(catalog),
      new ContentConnectionResolver(),
      new SeasonResolver(catalog),
      new EpisodeResolver(catalog),
      new EditorialResolver(editorial),
    ],
    orphanedTypes: [Content, Season, Episode],
    referenceResolvers: {
      Content: contentReferenceResolver(catalog),
      Season: seasonReferenceResolver(catalog),
      Episode: episodeReferenceResolver(catalog),
    },
  });
  return { name: "content", schema, sdl, createLoaders };
}

/** What main.ts, the harnesses and embedded mode start: `launchSubgraph(contentSubgraph, ...)`. */
export const contentSubgraph: SubgraphModule<ContentConfig, Loaders> = {
  name: "content",
  configSchema: contentConfigSchema,
  create: createContentSubgraph,
};
