// The social subgraph: party watch (sessions, members, chat, playback sync) with Redis-backed subscriptions.
import { buildFederatedSchema, type SubgraphDefinition } from "@watchflixx/common";
import { PrismaClient } from "@watchflixx/db";
import { ContentRef, EpisodeRef, ProfileRef } from "./entities/references.ts";
import { createRequestScope, type RequestScope } from "./loaders.ts";
import type { SocialContext } from "./resolvers/context.ts";
import { PartyWatchResolver } from "./resolvers/party.resolver.ts";
import { resolvePartyReference } from "./resolvers/party.reference.ts";
import { DEFAULT_PARTY_SETTINGS, type PartySettings } from "./services/party.service.ts";

export async function createSocialSubgraph(settings: PartySettings = DEFAULT_PARTY_SETTINGS): Promise<SubgraphDefinition<RequestScope>> {
  const { schema, sdl } = await buildFederatedSchema({
    resolvers: [PartyWatchResolver],
    orphanedTypes: [ProfileRef, ContentRef, EpisodeRef],
    referenceResolvers: {
      PartyWatch: { __resolveReference: (reference: { id: string }, context: SocialContext) => resolvePartyReference(reference, context) },
    },
  });
  return {
    name: "social",
    schema,
    sdl,
    subscriptions: true,
    createLoaders: (db: PrismaClient) => createRequestScope(db, settings),
  };
}

export type { PartySettings } from "./services/party.service.ts";
export { loadPartySettings } from "./env.ts";
