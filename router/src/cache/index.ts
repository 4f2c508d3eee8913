// The gateway's entity cache (README "Entity cache"): what gateway.ts wires in.
import { RemoteGraphQLDataSource } from "@apollo/gateway";
import { redisKeyIn, type Logger } from "@watchflixx/common";
import type { GatewayContext } from "../auth.ts";
import type { GatewayConfig } from "../config.ts";
import { defaultRateLimitScope } from "../rate-limit.ts";
import { CachingDataSource } from "./data-source.ts";
import { EntityCache } from "./entity-cache.ts";

export { EntityCache } from "./entity-cache.ts";
export { answerFromCache, entityCachePlugin, httpPolicyOf } from "./plugin.ts";
export { CachePolicy, MAX_AGE_CAP } from "./policy.ts";
export { analyzeFetch } from "./analyze.ts";
export { tagsTouchedBy } from "./invalidation.ts";

/**
 * The cache when ENTITY_CACHE=on, else undefined. Its Redis keys are `<namespace>:entity-cache:<scope>:...`, the
 * scope being the environment's database, as for the rate limits (tests: the test database).
 */
export function startEntityCache(config: GatewayConfig, logger: Logger, scope = defaultRateLimitScope(config), eventNamespace?: string): EntityCache | undefined {
  if (config.ENTITY_CACHE !== "on") return undefined;
  return new EntityCache({
    redisUrl: config.REDIS_URL,
    logger,
    prefix: `entity-cache:${scope}`,
    ...(eventNamespace ? { streamKey: (aggregate: string) => redisKeyIn(eventNamespace, "events", aggregate) } : {}),
  });
}

/** A subgraph's data source: caching when the cache is on. */
export function dataSourceFor(
  cache: EntityCache | undefined,
  serviceName: string,
  options: ConstructorParameters<typeof RemoteGraphQLDataSource<GatewayContext>>[0],
): RemoteGraphQLDataSource<GatewayContext> {
  if (!cache) return new RemoteGraphQLDataSource<GatewayContext>(options);
  const source = new CachingDataSource(cache, serviceName, options);
  cache.register(serviceName, source);
  return source;
}
