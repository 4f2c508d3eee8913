// Per-request DataLoaders: one query per batch (services/batch-queries.ts), never shared between callers.
import type { PrismaClient } from "@watchflixx/db";
import { listLoader } from "@watchflixx/common";
import { presentMembersOfParties } from "./services/batch-queries.ts";

export function createLoaders(db: PrismaClient) {
  return {
    /** Present members of each party, longest-present first. */
    presentMembers: listLoader((sessionIds: readonly string[]) => presentMembersOfParties(db, sessionIds), (member) => member.sessionId),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
