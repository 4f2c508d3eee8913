import type { SubgraphContext } from "@watchflixx/common";
import type { Loaders } from "../loaders.ts";
import { rentalById } from "../services/billing-reads.service.ts";

/** Only the caller's own rental resolves; anyone else's reads as null. */
export const rentalReference = {
  __resolveReference: (reference: { id: string }, context: SubgraphContext<Loaders>) => rentalById(context, reference.id),
};
