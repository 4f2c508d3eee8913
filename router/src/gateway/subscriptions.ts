// How the gateway hands its server to a subscription layer (by default the federated engine, subscriptions/):
// the hook's contract, and the one step that attaches it with the same authentication and limits as HTTP.
import type http from "node:http";
import type { ApolloGateway, RemoteGraphQLDataSource } from "@apollo/gateway";
import type { Bus, Logger } from "@watchflixx/common";
import { authenticateSession, type AuthenticatedSession } from "../auth.ts";
import { clientAddressOf } from "../client-address.ts";
import type { GatewayConfig } from "../config.ts";
import type { GatewayRateLimits } from "../rate-limit.ts";
import { federatedSubscriptions, type SubscriptionEngine } from "../subscriptions/index.ts";
import type { TrustedDocuments } from "../trusted-documents.ts";
import type { GatewayDependencies } from "./dependencies.ts";

/** What a subscription server (graphql-ws on the same http.Server and path) gets to work with. */
export interface SubscriptionHookContext {
  httpServer: http.Server;
  gateway: ApolloGateway;
  config: GatewayConfig;
  logger: Logger;
  path: string;
  /** The HTTP client for one subgraph's requests (the gateway's own, pooled, with its timeout and size cap; signs the caller's claims set by willSendRequest). */
  fetcherFor(serviceName: string): RemoteGraphQLDataSource["fetcher"];
  /**
   * The same check as HTTP: a `Bearer <token>` value → the identity and when its token expires, null
   * (anonymous), or an UNAUTHENTICATED error.
   */
  authenticate(authorization: string | null | undefined): Promise<AuthenticatedSession | null>;
  /** The manifest's operations by hash, and whether only they may run (TRUSTED_DOCUMENTS). */
  trustedDocuments: TrustedDocuments;
  /** The client address of a request (TRUSTED_PROXY_HOPS applied). */
  clientAddressOf(req: http.IncomingMessage): string;
  /** The gateway's rate limits (rate-limit.ts): throws RATE_LIMITED when the caller is over one. */
  admit: GatewayRateLimits["admit"];
  /** Where revocations arrive (Redis, or in memory in embedded mode). */
  bus: Bus;
}

/** Attaches subscriptions to the gateway's server; returns what stops them (called before HTTP shuts down). */
export type AttachSubscriptions = (context: SubscriptionHookContext) => Promise<() => Promise<void>>;

export interface AttachedSubscriptions {
  /** The default engine, when it is the one attached (its stats are what tests and operators read). */
  engine: SubscriptionEngine | undefined;
  stop(): Promise<void>;
}

/** `hook`: undefined for the default engine, false for none. */
export async function attachSubscriptions(
  hook: AttachSubscriptions | false | undefined,
  server: { httpServer: http.Server; gateway: ApolloGateway; config: GatewayConfig; logger: Logger; path: string },
  dependencies: GatewayDependencies,
): Promise<AttachedSubscriptions> {
  let engine: SubscriptionEngine | undefined;
  const attach = hook === undefined ? federatedSubscriptions((created) => (engine = created)) : hook || undefined;
  const { config } = server;
  const stop = await attach?.({
    ...server,
    fetcherFor: dependencies.fetcherFor,
    authenticate: (authorization) => authenticateSession(authorization, config.JWT_ACCESS_SECRET),
    trustedDocuments: dependencies.trustedDocuments,
    clientAddressOf: (req) => clientAddressOf(req, config.TRUSTED_PROXY_HOPS),
    admit: dependencies.rateLimits.admit,
    bus: dependencies.bus,
  });
  return { engine, stop: stop ?? (async () => undefined) };
}
