// The social subgraph: party watch (sessions, members, chat, playback sync) with subscriptions over the bus's
// pub/sub. Built from the deps start-up hands in: the party service once (database, settings, rate limits,
// pub/sub), then the resolver and the reference resolver with it.
import { buildFederatedSchema, type SubgraphDefinition, type SubgraphDeps, type SubgraphModule } from "@watchflixx/common";
import type { PrismaClient } from "@watchflixx/db";
import { socialConfigSchema, type SocialConfig } from "./config.ts";
import { ContentRef, EpisodeRef, ProfileRef } from "./entities/references.ts";
import { createLoaders } from "./loaders.ts";
import type { RequestScope } from "./resolvers/context.ts";
import { partyReference } from "./resolvers/party.reference.ts";
import { PartyWatchResolver } from "./resolvers/party.resolver.ts";
import { DEFAULT_CHAT_LIMIT, PartyService, type PartySettings } from "./services/party.service.ts";

export type { PartySettings } from "./services/party.service.ts";
export type { RequestScope } from "./resolvers/context.ts";
export { socialConfigSchema, type SocialConfig } from "./config.ts";

/** `settings` override what the config gives (PARTY_MAX_MEMBERS) and the chat limit (tests and benchmarks). */
export async function createSocialSubgraph(deps: SubgraphDeps<SocialConfig>, settings: Partial<PartySettings> = {}): Promise<SubgraphDefinition<RequestScope>> {
  const partySettings: PartySettings = { maxMembers: deps.config.PARTY_MAX_MEMBERS, chatLimit: DEFAULT_CHAT_LIMIT, ...settings };
  const parties = new PartyService(deps.db, partySettings, deps.rateLimits, deps.subscriptionPubSub);
  const { schema, sdl } = await buildFederatedSchema({
    resolverInstances: [new PartyWatchResolver(parties)],
    orphanedTypes: [ProfileRef, ContentRef, EpisodeRef],
    referenceResolvers: { PartyWatch: partyReference(parties) },
  });
  return {
    name: "social",
    schema,
    sdl,
    subscriptions: true,
    createLoaders: (db: PrismaClient): RequestScope => ({ ...createLoaders(db), parties }),
  };
}

/** The social module with party settings of its own (a test's small party, a benchmark's unlimited chat). */
export function socialSubgraphWith(settings: Partial<PartySettings>): SubgraphModule<SocialConfig, RequestScope> {
  return { name: "social", configSchema: socialConfigSchema, create: (deps) => createSocialSubgraph(deps, settings) };
}

/** What main.ts, the harnesses and embedded mode start: `launchSubgraph(socialSubgraph, ...)`. */
export const socialSubgraph: SubgraphModule<SocialConfig, RequestScope> = socialSubgraphWith({});
