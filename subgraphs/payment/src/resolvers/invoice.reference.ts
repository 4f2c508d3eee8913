import type { SubgraphContext } from "@watchflixx/common";
import type { Loaders } from "../loaders.ts";
import { invoiceById } from "../services/billing-reads.service.ts";

export const invoiceReference = {
  __resolveReference: (reference: { id: string }, context: SubgraphContext<Loaders>) => invoiceById(context, reference.id),
};
