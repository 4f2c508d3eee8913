import type { BillingReadsService } from "../services/billing-reads.service.ts";
import { readerOf, type Context } from "./context.ts";

/** Only the caller's own invoice resolves; anyone else's reads as null. */
export function invoiceReference(reads: BillingReadsService) {
  return {
    __resolveReference: (reference: { id: string }, context: Context) => reads.invoiceById(readerOf(context), reference.id),
  };
}
