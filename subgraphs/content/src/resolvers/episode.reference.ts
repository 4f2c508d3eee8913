// Resolves `Episode` references from other subgraphs: N references in one request are one query (the loader).
import type { SubgraphContext } from "@watchflixx/common";
import type { Episode } from "@watchflixx/db";
import type { Loaders } from "../loaders.ts";
import { episodeReference } from "../services/catalog.service.ts";

export const episodeReferenceResolver = {
  __resolveReference(reference: { id: string }, ctx: SubgraphContext<Loaders>): Promise<Episode | null> {
    return episodeReference(ctx, reference.id);
  },
};
