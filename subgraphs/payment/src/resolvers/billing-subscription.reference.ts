import type { BillingReadsService } from "../services/billing-reads.service.ts";
import { readerOf, type Context } from "./context.ts";

/** Only the caller's own subscription resolves; anyone else's reads as null. */
export function billingSubscriptionReference(reads: BillingReadsService) {
  return {
    __resolveReference: (reference: { id: string }, context: Context) => reads.subscriptionById(readerOf(context), reference.id),
  };
}
