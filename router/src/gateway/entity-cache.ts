// The entity cache as the gateway wires it (cache/, README "Entity cache"), behind one call, `wireEntityCache`:
// the gateway's steps and the cache's own code can then change apart.
import type { RemoteGraphQLDataSource } from "@apollo/gateway";
import type { ApolloServerPlugin } from "@apollo/server";
import type { GraphQLSchema } from "graphql";
import type { Bus, Logger } from "@watchflixx/common";
import type { GatewayContext } from "../auth.ts";
import type { GatewayConfig } from "../config.ts";
import { answerFromCache, CachePolicy, dataSourceFor, entityCachePlugin, startEntityCache, type EntityCache } from "../cache/index.ts";

export interface EntityCacheWiring {
  /** The cache itself when ENTITY_CACHE=on (and Redis is there), else undefined. */
  cache: EntityCache | undefined;
  /** A subgraph's data source: caching when the cache is on. */
  dataSourceFor(serviceName: string, options: ConstructorParameters<typeof RemoteGraphQLDataSource<GatewayContext>>[0]): RemoteGraphQLDataSource<GatewayContext>;
  /** A new supergraph is served: its cache hints become the policy. */
  useSupergraph(apiSchema: GraphQLSchema, coreSupergraphSdl: string): void;
  /** Cache-Control from the cache hints; x-cache (hit/partial/miss/bypass) in development or ENTITY_CACHE_HEADER=on. */
  plugin(): ApolloServerPlugin<GatewayContext>;
  /** Answers an anonymous request from its whole-answer entry before Apollo Server runs (true: answered). */
  answerFromCache(): ReturnType<typeof answerFromCache>;
  stop(): Promise<void>;
}

export function wireEntityCache(
  config: GatewayConfig,
  logger: Logger,
  bus: Bus,
  options: { rateLimitScope?: string; eventNamespace?: string },
): EntityCacheWiring {
  // Catalog answers kept per maturity limit, dropped by the services' events (cache/, README "Entity cache"). It
  // lives in Redis: with the in-process bus (embedded mode, one machine) there is none, and nothing to share.
  const cache = bus.kind === "redis" ? startEntityCache(config, logger, options.rateLimitScope, options.eventNamespace) : undefined;
  let cachePolicy: CachePolicy | undefined;
  const header = config.ENTITY_CACHE_HEADER ? config.ENTITY_CACHE_HEADER === "on" : config.NODE_ENV !== "production";
  return {
    cache,
    dataSourceFor: (serviceName, dataSourceOptions) => dataSourceFor(cache, serviceName, dataSourceOptions),
    useSupergraph(apiSchema, coreSupergraphSdl) {
      // The subgraphs' @cacheControl hints, as composed: a subgraph's change of hints needs no gateway change.
      cachePolicy = CachePolicy.fromSupergraph(coreSupergraphSdl);
      cache?.useSchema(apiSchema, cachePolicy);
    },
    plugin: () => entityCachePlugin(cache, { header, policy: () => cachePolicy }),
    answerFromCache: () => answerFromCache(cache, { header, policy: () => cachePolicy }),
    stop: async () => cache?.stop(),
  };
}
