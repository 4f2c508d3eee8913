// Resolves `Content` references from other subgraphs: N references in one request are one query (the loader).
import type { SubgraphContext } from "@watchflixx/common";
import type { Content } from "@watchflixx/db";
import type { Loaders } from "../loaders.ts";
import { contentReference } from "../services/catalog.service.ts";

export const contentReferenceResolver = {
  __resolveReference(reference: { id: string }, ctx: SubgraphContext<Loaders>): Promise<Content | null> {
    return contentReference(ctx, reference.id);
  },
};
