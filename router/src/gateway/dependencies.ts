// What the gateway needs running before it serves (subgraph HTTP clients, trusted documents, the bus, rate
// limits, the entity cache, the readiness probe), started in one step and closed in one step, in order.
import type { RemoteGraphQLDataSource } from "@apollo/gateway";
import { redisBus, type Bus, type DependencyCheck, type Logger } from "@watchflixx/common";
import type { GatewayConfig } from "../config.ts";
import { createSubgraphFetcher, type SubgraphFetcher } from "../fetcher.ts";
import { startGatewayRateLimits, type GatewayRateLimits } from "../rate-limit.ts";
import { retryQueriesOnConnectionLoss } from "../retry.ts";
import { signingFetcher } from "../signing.ts";
import { TrustedDocuments } from "../trusted-documents.ts";
import { wireEntityCache, type EntityCacheWiring } from "./entity-cache.ts";

export interface GatewayDependencies {
  subgraphFetcher: SubgraphFetcher;
  /** The HTTP client for one subgraph's requests: pooled, signed, a lost query retried. */
  fetcherFor(serviceName: string): RemoteGraphQLDataSource["fetcher"];
  trustedDocuments: TrustedDocuments;
  bus: Bus;
  /** The gateway opened the bus itself (not handed one by embedded mode), so it closes it. */
  ownsBus: boolean;
  rateLimits: GatewayRateLimits;
  entityCache: EntityCacheWiring;
  /** The bus's readiness probe, when subscriptions (which need the bus) are served. */
  busReadiness: { checks: DependencyCheck[]; close(): Promise<void> } | undefined;
}

export interface DependencyOptions {
  bus?: Bus;
  rateLimitScope?: string;
  eventNamespace?: string;
  servesSubscriptions: boolean;
}

export async function startDependencies(config: GatewayConfig, logger: Logger, options: DependencyOptions): Promise<GatewayDependencies> {
  const subgraphFetcher = createSubgraphFetcher({
    timeoutMs: config.SUBGRAPH_TIMEOUT_MS,
    timeoutsMs: config.subgraphTimeoutsMs,
    maxResponseBytes: config.SUBGRAPH_MAX_RESPONSE_BYTES,
    logger,
  });
  const trustedDocuments = TrustedDocuments.load(config.TRUSTED_DOCUMENTS_MANIFEST, {
    enforce: config.TRUSTED_DOCUMENTS === "enforce",
    allowIntrospection: config.INTROSPECTION,
  });
  // Signed over the exact body (signing.ts); a query whose connection was lost with no response is sent once
  // more (retry.ts), a mutation never.
  const fetcherFor = (serviceName: string) =>
    retryQueriesOnConnectionLoss(signingFetcher(subgraphFetcher.fetcherFor(serviceName), config.GATEWAY_SHARED_SECRET));
  const bus = options.bus ?? redisBus(config.REDIS_URL, logger);
  const rateLimits = await startGatewayRateLimits(config, logger, options.rateLimitScope, bus);
  const entityCache = wireEntityCache(config, logger, bus, options);
  const busReadiness = options.servesSubscriptions ? bus.readinessChecks() : undefined;
  return { subgraphFetcher, fetcherFor, trustedDocuments, bus, ownsBus: !options.bus, rateLimits, entityCache, busReadiness };
}

export async function closeDependencies(dependencies: GatewayDependencies): Promise<void> {
  await dependencies.subgraphFetcher.close();
  await dependencies.rateLimits.close();
  await dependencies.busReadiness?.close();
  await dependencies.entityCache.stop();
  if (dependencies.ownsBus) await dependencies.bus.close();
}
