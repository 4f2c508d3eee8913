// What resolvers read from the request context, and the one mapping from it to the services' plain arguments.
import type { SubgraphContext } from "@watchflixx/common";
import type { Loaders } from "../loaders.ts";
import type { CatalogReader } from "../services/catalog.service.ts";

export type Context = SubgraphContext<Loaders>;

/** The caller and this request's loaders, as catalog reads take them. */
export function readerOf(ctx: Context): CatalogReader {
  return { viewer: ctx.identity, loaders: ctx.loaders };
}
