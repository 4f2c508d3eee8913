// Per-request DataLoaders: one query per batch, never shared between callers.
import { listLoader, rowLoader } from "@watchflixx/common";
import type { PrismaClient } from "@watchflixx/db";
import { ENDED_STATUSES } from "./services/subscription-state.ts";

export function createLoaders(db: PrismaClient) {
  return {
    plan: rowLoader((ids: readonly string[]) => db.plan.findMany({ where: { id: { in: [...ids] } } }), (row) => row.id),
    subscription: rowLoader(
      (ids: readonly string[]) => db.subscription.findMany({ where: { id: { in: [...ids] } } }),
      (row) => row.id,
    ),
    /** The user's live subscription (not CANCELED / INCOMPLETE_EXPIRED); oldest first, so the newest wins. */
    liveSubscriptionByUser: rowLoader(
      (userIds: readonly string[]) =>
        db.subscription.findMany({
          where: { userId: { in: [...userIds] }, status: { notIn: ENDED_STATUSES } },
          orderBy: { createdAt: "asc" },
        }),
      (row) => row.userId,
    ),
    invoice: rowLoader((ids: readonly string[]) => db.invoice.findMany({ where: { id: { in: [...ids] } } }), (row) => row.id),
    invoicesByUser: listLoader(
      (userIds: readonly string[]) =>
        db.invoice.findMany({ where: { userId: { in: [...userIds] } }, orderBy: [{ issuedAt: "desc" }, { id: "desc" }] }),
      (row) => row.userId,
    ),
    rental: rowLoader((ids: readonly string[]) => db.rental.findMany({ where: { id: { in: [...ids] } } }), (row) => row.id),
    rentalsByUser: listLoader(
      (userIds: readonly string[]) =>
        db.rental.findMany({ where: { userId: { in: [...userIds] } }, orderBy: [{ purchasedAt: "desc" }, { id: "desc" }] }),
      (row) => row.userId,
    ),
    contentPrice: rowLoader(
      (ids: readonly string[]) =>
        db.content.findMany({
          where: { id: { in: [...ids] } },
          select: { id: true, rentalPriceCents: true, rentalCurrency: true },
        }),
      (row) => row.id,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
