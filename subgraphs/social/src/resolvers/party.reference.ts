import type { PartyWatchSession } from "@watchflixx/db";
import type { SocialContext } from "./context.ts";

/** Another subgraph's reference to a party resolves only for the party's present members. */
export function resolvePartyReference(reference: { id: string }, context: SocialContext): Promise<PartyWatchSession | null> {
  return context.loaders.party.findForMember(context.identity, reference.id);
}
