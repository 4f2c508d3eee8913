// What resolvers read from the request context, and the one mapping from it to the billing reads' plain argument.
import type { SubgraphContext } from "@watchflixx/common";
import type { Loaders } from "../loaders.ts";
import type { BillingReader } from "../services/billing-reads.service.ts";

export type Context = SubgraphContext<Loaders>;

/** The caller and this request's loaders, as billing reads take them. */
export function readerOf(context: Context): BillingReader {
  return { viewer: context.identity, loaders: context.loaders };
}
