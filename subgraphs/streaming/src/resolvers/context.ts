// What resolvers read from the request context, and the one mapping from it to the services' plain arguments.
import type { SubgraphContext } from "@watchflixx/common";
import type { Loaders } from "../loaders.ts";
import type { StreamingReader } from "../services/viewer.ts";

export type Context = SubgraphContext<Loaders>;

/** The caller and this request's loaders, as the services take them. */
export function readerOf(ctx: Context): StreamingReader {
  return { viewer: ctx.identity, loaders: ctx.loaders };
}
