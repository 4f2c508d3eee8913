import type { SubgraphContext } from "@watchflixx/common";
import type { Loaders } from "../loaders.ts";
import { subscriptionById } from "../services/billing-reads.service.ts";

/** Only the caller's own subscription resolves; anyone else's reads as null. */
export const billingSubscriptionReference = {
  __resolveReference: (reference: { id: string }, context: SubgraphContext<Loaders>) => subscriptionById(context, reference.id),
};
