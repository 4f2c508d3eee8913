// Resolves `Season` references from other subgraphs: N references in one request are one query (the loader).
import type { Season } from "@watchflixx/db";
import type { CatalogService } from "../services/catalog.service.ts";
import { readerOf, type Context } from "./context.ts";

export function seasonReferenceResolver(catalog: CatalogService) {
  return {
    __resolveReference(reference: { id: string }, ctx: Context): Promise<Season | null> {
      return catalog.seasonReference(readerOf(ctx), reference.id);
    },
  };
}
