import type { PrismaClient } from "@watchflixx/db";
import { listLoader } from "@watchflixx/common";
import { PartyService, type PartySettings } from "./services/party.service.ts";

/** Per request: DataLoaders, and the party service bound to this subgraph's database and settings. */
export function createRequestScope(db: PrismaClient, settings: PartySettings) {
  return {
    party: new PartyService(db, settings),
    /** Present members of each party, longest-present first. */
    presentMembers: listLoader(
      (sessionIds: readonly string[]) =>
        db.partyWatchMember.findMany({
          where: { sessionId: { in: [...sessionIds] }, leftAt: null },
          orderBy: [{ joinedAt: "asc" }, { id: "asc" }],
        }),
      (member) => member.sessionId,
    ),
  };
}

export type RequestScope = ReturnType<typeof createRequestScope>;
