// Resolves `Episode` references from other subgraphs: N references in one request are one query (the loader).
import type { Episode } from "@watchflixx/db";
import type { CatalogService } from "../services/catalog.service.ts";
import { readerOf, type Context } from "./context.ts";

export function episodeReferenceResolver(catalog: CatalogService) {
  return {
    __resolveReference(reference: { id: string }, ctx: Context): Promise<Episode | null> {
      return catalog.episodeReference(readerOf(ctx), reference.id);
    },
  };
}
