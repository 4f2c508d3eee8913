// Resolves `Content` references from other subgraphs: N references in one request are one query (the loader).
import type { Content } from "@watchflixx/db";
import type { CatalogService } from "../services/catalog.service.ts";
import { readerOf, type Context } from "./context.ts";

export function contentReferenceResolver(catalog: CatalogService) {
  return {
    __resolveReference(reference: { id: string }, ctx: Context): Promise<Content | null> {
      return catalog.contentReference(readerOf(ctx), reference.id);
    },
  };
}
