import type { BillingReadsService } from "../services/billing-reads.service.ts";
import { readerOf, type Context } from "./context.ts";

/** Only the caller's own rental resolves; anyone else's reads as null. */
export function rentalReference(reads: BillingReadsService) {
  return {
    __resolveReference: (reference: { id: string }, context: Context) => reads.rentalById(readerOf(context), reference.id),
  };
}
