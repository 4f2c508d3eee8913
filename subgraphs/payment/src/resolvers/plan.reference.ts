import type { SubgraphContext } from "@watchflixx/common";
import type { Loaders } from "../loaders.ts";
import { planById } from "../services/billing-reads.service.ts";

export const planReference = {
  __resolveReference: (reference: { id: string }, context: SubgraphContext<Loaders>) => planById(context, reference.id),
};
