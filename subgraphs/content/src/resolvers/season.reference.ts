// Resolves `Season` references from other subgraphs: N references in one request are one query (the loader).
import type { SubgraphContext } from "@watchflixx/common";
import type { Season } from "@watchflixx/db";
import type { Loaders } from "../loaders.ts";
import { seasonReference } from "../services/catalog.service.ts";

export const seasonReferenceResolver = {
  __resolveReference(reference: { id: string }, ctx: SubgraphContext<Loaders>): Promise<Season | null> {
    return seasonReference(ctx, reference.id);
  },
};
