// The loaders' batch queries: one statement for a whole batch of ids (src/loaders.ts groups the rows back).
import type { PrismaClient } from "@watchflixx/db";
import { ENDED_STATUSES } from "./subscription-state.ts";

type Ids = readonly string[];

export const billingBatches = {
  plans: (db: PrismaClient, ids: Ids) => db.plan.findMany({ where: { id: { in: [...ids] } } }),
  subscriptions: (db: PrismaClient, ids: Ids) => db.subscription.findMany({ where: { id: { in: [...ids] } } }),
  /** The users' live subscriptions (not CANCELED / INCOMPLETE_EXPIRED); oldest first, so the newest wins. */
  liveSubscriptionsOfUsers: (db: PrismaClient, userIds: Ids) =>
    db.subscription.findMany({ where: { userId: { in: [...userIds] }, status: { notIn: ENDED_STATUSES } }, orderBy: { createdAt: "asc" } }),
  invoices: (db: PrismaClient, ids: Ids) => db.invoice.findMany({ where: { id: { in: [...ids] } } }),
  invoicesOfUsers: (db: PrismaClient, userIds: Ids) =>
    db.invoice.findMany({ where: { userId: { in: [...userIds] } }, orderBy: [{ issuedAt: "desc" }, { id: "desc" }] }),
  rentals: (db: PrismaClient, ids: Ids) => db.rental.findMany({ where: { id: { in: [...ids] } } }),
  rentalsOfUsers: (db: PrismaClient, userIds: Ids) =>
    db.rental.findMany({ where: { userId: { in: [...userIds] } }, orderBy: [{ purchasedAt: "desc" }, { id: "desc" }] }),
  contentPrices: (db: PrismaClient, ids: Ids) =>
    db.content.findMany({ where: { id: { in: [...ids] } }, select: { id: true, rentalPriceCents: true, rentalCurrency: true } }),
};
