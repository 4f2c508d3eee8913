import type { Plan, PrismaClient } from "@watchflixx/db";

export class PlansService {
  constructor(private readonly db: PrismaClient) {}

  /** The plans on offer, cheapest first. */
  async listPlans(): Promise<Plan[]> {
    return this.db.plan.findMany({ where: { active: true }, orderBy: [{ priceCents: "asc" }, { code: "asc" }] });
  }
}
