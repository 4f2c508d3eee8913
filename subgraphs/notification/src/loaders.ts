// Per-request DataLoaders: a list of tickets loads all their responses in one query.
import type { PrismaClient } from "@watchflixx/db";
import { listLoader, type SubgraphContext } from "@watchflixx/common";

export function createLoaders(db: PrismaClient) {
  return {
    responses: listLoader(
      (ticketIds: readonly string[]) =>
        db.supportResponse.findMany({ where: { ticketId: { in: [...ticketIds] } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
      (row) => row.ticketId,
    ),
  };
}

export type NotificationLoaders = ReturnType<typeof createLoaders>;
export type NotificationContext = SubgraphContext<NotificationLoaders>;
