import { Ctx, Query, Resolver } from "type-graphql";
import type { SubgraphContext } from "@watchflixx/common";
import { Plan } from "../entities/plan.ts";
import type { Loaders } from "../loaders.ts";
import { listPlans } from "../services/plans.service.ts";

@Resolver(() => Plan)
export class PlanResolver {
  @Query(() => [Plan], { description: "The plans on offer, cheapest first." })
  plans(@Ctx() context: SubgraphContext<Loaders>): Promise<Plan[]> {
    return listPlans(context.db);
  }
}
