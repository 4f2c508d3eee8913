import type { Plan, PrismaClient } from "@watchflixx/db";

/** The plans on offer, cheapest first. */
export async function listPlans(db: PrismaClient): Promise<Plan[]> {
  return db.plan.findMany({ where: { active: true }, orderBy: [{ priceCents: "asc" }, { code: "asc" }] });
}
