import type { BillingReadsService } from "../services/billing-reads.service.ts";
import { readerOf, type Context } from "./context.ts";

export function planReference(reads: BillingReadsService) {
  return {
    __resolveReference: (reference: { id: string }, context: Context) => reads.planById(readerOf(context), reference.id),
  };
}
