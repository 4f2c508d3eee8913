// Per-request DataLoaders: a list of tickets loads all their responses in one query (services/support.service.ts).
import type { PrismaClient } from "@watchflixx/db";
import { listLoader } from "@watchflixx/common";
import { fetchResponsesOfTickets } from "./services/support.service.ts";

export function createLoaders(db: PrismaClient) {
  return {
    responses: listLoader((ticketIds: readonly string[]) => fetchResponsesOfTickets(db, ticketIds), (row) => row.ticketId),
  };
}

export type NotificationLoaders = ReturnType<typeof createLoaders>;
