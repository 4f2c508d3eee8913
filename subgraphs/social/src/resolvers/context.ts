// What resolvers read from the request context. type-graphql's `subscribe` functions are static (no resolver
// instance to hold a service), so the request scope carries the party service built once by createSocialSubgraph
// next to the request's DataLoaders; every other resolver gets the service through its constructor.
import type { SubgraphContext } from "@watchflixx/common";
import type { Loaders } from "../loaders.ts";
import type { PartyService } from "../services/party.service.ts";

export type RequestScope = Loaders & { parties: PartyService };

export type SocialContext = SubgraphContext<RequestScope>;
