// The loaders' batch queries: one statement for a whole batch of parties (src/loaders.ts groups the rows back).
import type { PrismaClient } from "@watchflixx/db";

/** Present members of each party, longest-present first. */
export function presentMembersOfParties(db: PrismaClient, sessionIds: readonly string[]) {
  return db.partyWatchMember.findMany({
    where: { sessionId: { in: [...sessionIds] }, leftAt: null },
    orderBy: [{ joinedAt: "asc" }, { id: "asc" }],
  });
}
