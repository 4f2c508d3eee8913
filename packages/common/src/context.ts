// What every resolver receives: the one database client, the caller (or null), and per-request loaders.
import type { PrismaClient } from "@watchflixx/db";
import { ForbiddenError, UnauthenticatedError } from "./errors.ts";
import type { Identity } from "./identity.ts";
import type { RateLimits } from "./rate-limits.ts";
import type { SubscriptionPubSub } from "./bus.ts";

export interface SubgraphContext<Loaders = unknown> {
  db: PrismaClient;
  /** The signed-in caller, as the gateway vouched for it; null for anonymous requests. */
  identity: Identity | null;
  /** DataLoaders created fresh for each request, so batching never leaks data between callers. */
  loaders: Loaders;
  requestId: string;
  /** Where the request came from, as the gateway saw it (signed); the socket's peer for a direct call. */
  clientAddress: string;
  /** The service's rate limits (shared by its instances through Redis). */
  rateLimits: RateLimits;
  /** The bus's pub/sub, in subgraphs that serve subscriptions. */
  pubSub?: SubscriptionPubSub;
}

export function requireIdentity(context: { identity: Identity | null }): Identity {
  if (!context.identity) throw new UnauthenticatedError();
  return context.identity;
}

export function requireStaff(context: { identity: Identity | null }): Identity {
  const identity = requireIdentity(context);
  if (identity.role !== "STAFF") throw new ForbiddenError("Staff only.");
  return identity;
}
