import type { PartyService } from "../services/party.service.ts";
import type { SocialContext } from "./context.ts";

/** Another subgraph's reference to a party resolves only for the party's present members. */
export function partyReference(parties: PartyService) {
  return {
    __resolveReference: (reference: { id: string }, context: SocialContext) => parties.findForMember(context.identity, reference.id),
  };
}
