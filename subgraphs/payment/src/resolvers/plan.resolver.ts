import { Query, Resolver } from "type-graphql";
import { Plan } from "../entities/plan.ts";
import type { PlansService } from "../services/plans.service.ts";

@Resolver(() => Plan)
export class PlanResolver {
  constructor(private readonly offers: PlansService) {}

  @Query(() => [Plan], { description: "The plans on offer, cheapest first." })
  plans(): Promise<Plan[]> {
    return this.offers.listPlans();
  }
}
