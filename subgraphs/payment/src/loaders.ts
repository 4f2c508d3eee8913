// Per-request DataLoaders: one query per batch (services/batch-queries.ts), never shared between callers.
import { listLoader, rowLoader } from "@watchflixx/common";
import type { PrismaClient } from "@watchflixx/db";
import { billingBatches as batch } from "./services/batch-queries.ts";

const byId = (row: { id: string }) => row.id;
const byUser = (row: { userId: string }) => row.userId;

export function createLoaders(db: PrismaClient) {
  return {
    plan: rowLoader((ids: readonly string[]) => batch.plans(db, ids), byId),
    subscription: rowLoader((ids: readonly string[]) => batch.subscriptions(db, ids), byId),
    /** The user's live subscription: the newest, as rows come oldest first. */
    liveSubscriptionByUser: rowLoader((userIds: readonly string[]) => batch.liveSubscriptionsOfUsers(db, userIds), byUser),
    invoice: rowLoader((ids: readonly string[]) => batch.invoices(db, ids), byId),
    invoicesByUser: listLoader((userIds: readonly string[]) => batch.invoicesOfUsers(db, userIds), byUser),
    rental: rowLoader((ids: readonly string[]) => batch.rentals(db, ids), byId),
    rentalsByUser: listLoader((userIds: readonly string[]) => batch.rentalsOfUsers(db, userIds), byUser),
    contentPrice: rowLoader((ids: readonly string[]) => batch.contentPrices(db, ids), byId),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
