// What resolvers read from the request context, and the one mapping from it to the directory's plain reader.
import type { SubgraphContext } from "@watchflixx/common";
import type { AuthLoaders } from "../loaders.ts";
import type { DirectoryReader } from "../services/directory.service.ts";

export type AuthContext = SubgraphContext<AuthLoaders>;

/** The caller and this request's loaders, as directory reads take them. */
export function readerOf(ctx: AuthContext): DirectoryReader {
  return { viewer: ctx.identity, loaders: ctx.loaders };
}
