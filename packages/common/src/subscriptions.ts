// GraphQL subscriptions in a subgraph: graphql-ws on the subgraph's own HTTP server and path, events carried
// by the bus (bus.ts: Redis pub/sub, so that every instance of a service sees every event, or in memory).
//
// Subscribers normally reach a subgraph through the gateway, which holds ONE upstream subscription per root
// field and arguments (signed with the gateway's own SERVICE identity) and fans events out to its clients.
// Before a client joins such a shared stream, the gateway asks the owning subgraph whether that client may
// subscribe: POST /graphql/authorize-subscription runs the field's subscribe resolver (its membership or
// ownership check) with the client's identity and closes the stream at once.
import type http from "node:http";
import type { Express } from "express";
import { GraphQLError, parse, subscribe, type GraphQLSchema, type ExecutionResult } from "graphql";
import type { PrismaClient } from "@watchflixx/db";
import type { SubgraphContext } from "./context.ts";
import type { Identity } from "./identity.ts";
import type { Logger } from "./logger.ts";
import { parseGuardedSubscription, type RequestGuardOptions } from "./request-guards.ts";
import type { RateLimits } from "./rate-limits.ts";
import { callerOfRequest, jsonKeepingRawBody, NonceGuard, readWebSocketCaller, socketAddress, type RequestCaller } from "./signed-request.ts";
import { redisKey } from "./redis-keys.ts";
import type { Bus, SubscriptionPubSub } from "./bus.ts";
import { serveGraphqlWs } from "./websocket.ts";

/** The identity of the gateway itself, for the shared upstream subscriptions it holds for its clients. */
export const GATEWAY_SUBSCRIBER: Identity = { userId: "gateway", role: "SERVICE", deviceId: null };

export function isGatewaySubscriber(identity: Identity | null): boolean {
  return identity?.role === "SERVICE";
}

/**
 * An async iterator over `source` that stops (completes) as soon as `stillAllowed` says no, and whose
 * `return()` releases the source at once rather than waiting for its next event.
 */
export function whileAllowed<T>(source: AsyncIterator<T>, stillAllowed: () => Promise<boolean>): AsyncIterableIterator<T> {
  const iterator: AsyncIterableIterator<T> = {
    async next() {
      const result = await source.next();
      if (result.done) return result;
      if (await stillAllowed()) return result;
      await source.return?.();
      return { done: true, value: undefined };
    },
    async return() {
      await source.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

export interface SubscriptionServing {
  schema: GraphQLSchema;
  db: PrismaClient;
  secret: string;
  pubSub: SubscriptionPubSub;
  createLoaders(db: PrismaClient): unknown;
  logger: Logger;
  /** The operation limits and text checks, as for HTTP. */
  guard: RequestGuardOptions;
  rateLimits: RateLimits;
}

type SubscriptionContext = SubgraphContext & { pubSub: SubscriptionPubSub };

function contextFor(serving: SubscriptionServing, caller: RequestCaller, requestId: string): SubscriptionContext {
  return { db: serving.db, ...caller, loaders: serving.createLoaders(serving.db), requestId, pubSub: serving.pubSub, rateLimits: serving.rateLimits };
}

/**
 * graphql-ws at /graphql on the subgraph's HTTP server. The caller comes from connection_init's signed
 * parameters, checked once when the connection opens (the signature is fresh then, and its nonce is spent).
 */
export function serveSubscriptions(httpServer: http.Server, serving: SubscriptionServing): () => Promise<void> {
  const nonces = new NonceGuard();
  const callers = new WeakMap<object, RequestCaller>();
  // Size limits on every message and on connection_init, checked before parsing (websocket.ts). No cap on
  // subscriptions per socket here: the gateway carries all its clients' shared streams on one connection.
  return serveGraphqlWs<Record<string, unknown>>(
    {
      schema: serving.schema,
      onConnect: (ctx) => {
        const params = Object.fromEntries(
          Object.entries(ctx.connectionParams ?? {}).map(([key, value]) => [key.toLowerCase(), String(value)]),
        );
        const signed = readWebSocketCaller(params, serving.secret, nonces);
        callers.set(ctx.extra, { identity: signed?.identity ?? null, clientAddress: signed?.clientAddress ?? socketAddress(ctx.extra.request) });
        return true;
      },
      context: (ctx) => {
        const caller = callers.get(ctx.extra) ?? { identity: null, clientAddress: socketAddress(ctx.extra.request) };
        return contextFor(serving, caller, `ws-${ctx.extra.request.socket.remotePort ?? ""}`);
      },
      onSubscribe: (_ctx, _id, payload) => {
        // Checked before graphql-ws parses and validates the document itself.
        try {
          parseGuardedSubscription(serving.schema, payload.query, payload.variables, serving.guard);
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        return undefined;
      },
      onError: (_ctx, _id, _payload, errors) => {
        serving.logger.debug("subscription error", errors.map((e) => e.message));
      },
    },
    { server: httpServer, path: "/graphql", logger: serving.logger },
  );
}

/**
 * How the gateway may hold a field's upstream subscription: `shared`, one stream under its own SERVICE identity
 * for every authorized client (the field's events are the same for all of them, e.g. a party's chat), or
 * `subscriber`, one stream per account under that account's identity (per-account fields such as
 * notificationAdded, whose subscribe resolver refuses the SERVICE identity).
 */
export type SubscriptionScope = "shared" | "subscriber";

async function trySubscribe(serving: SubscriptionServing, caller: RequestCaller, query: string, variables: Record<string, unknown>) {
  const result = await subscribe({
    schema: serving.schema,
    document: parse(query),
    variableValues: variables,
    contextValue: contextFor(serving, caller, "authorize"),
  });
  if (Symbol.asyncIterator in (result as object)) {
    await (result as AsyncIterableIterator<unknown>).return?.();
    return { ok: true as const };
  }
  return { ok: false as const, errors: (result as ExecutionResult).errors ?? [] };
}

/**
 * POST /graphql/authorize-subscription { query, variables }: 200 { authorized: true, scope } when the caller (from
 * the gateway's signed headers) may subscribe, otherwise 200 { authorized: false, errors } with the subscribe
 * resolver's own errors (FORBIDDEN, NOT_FOUND, UNAUTHENTICATED, BAD_USER_INPUT).
 */
export function mountSubscriptionAuthorization(app: Express, serving: SubscriptionServing): void {
  app.post("/graphql/authorize-subscription", jsonKeepingRawBody("64kb"), async (req, res) => {
    const { query, variables } = (req.body ?? {}) as { query?: unknown; variables?: Record<string, unknown> };
    if (typeof query !== "string") {
      res.status(400).json({ authorized: false, errors: [{ message: "query is required", extensions: { code: "BAD_REQUEST" } }] });
      return;
    }
    try {
      parseGuardedSubscription(serving.schema, query, variables, serving.guard);
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      res.status(400).json({ authorized: false, errors: [error.toJSON()] });
      return;
    }
    const caller = callerOfRequest(req, serving.secret);
    try {
      const asCaller = await trySubscribe(serving, caller, query, variables ?? {});
      if (!asCaller.ok) {
        res.json({ authorized: false, errors: asCaller.errors.map((error) => error.toJSON()) });
        return;
      }
      const shared = await trySubscribe(serving, { identity: GATEWAY_SUBSCRIBER, clientAddress: caller.clientAddress }, query, variables ?? {});
      const scope: SubscriptionScope = shared.ok ? "shared" : "subscriber";
      res.json({ authorized: true, scope });
    } catch (error) {
      serving.logger.error("subscription authorization failed", error);
      res.status(500).json({ authorized: false, errors: [{ message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } }] });
    }
  });
}

/**
 * Where a subgraph announces that a user may have lost access to some subscriptions (a member left a party).
 * The gateway re-authorizes that user's matching subscribers and closes those now refused.
 */
export function subscriptionRevocationsChannel(): string {
  return redisKey("subscriptions", "revocations");
}

export interface SubscriptionRevocation {
  userId: string;
  service: string;
  /** Root subscription fields concerned, e.g. ["partyMessageAdded", "partySync"]. */
  fields: string[];
  /** Root field argument values that identify the streams, e.g. { sessionId }. */
  arguments: Record<string, unknown>;
}

export async function publishRevocation(pubSub: SubscriptionPubSub, revocation: SubscriptionRevocation): Promise<void> {
  // Plain JSON on a plain channel: the gateway reads it through its bus listener, not through a GraphQL pub/sub.
  await pubSub.announce(subscriptionRevocationsChannel(), JSON.stringify(revocation));
}

/**
 * Where the auth subgraph announces that sessions ended (sign-out, a reused refresh token): the gateway closes
 * the WebSockets opened with those sessions' access tokens at once, instead of at the tokens' expiry.
 */
export function sessionRevocationsChannel(): string {
  return redisKey("sessions", "revocations");
}

export interface SessionRevocation {
  userId: string;
  /** The device whose session ended; null: every session of the account. */
  deviceId: string | null;
}

export async function publishSessionRevocation(bus: Pick<Bus, "announce">, revocation: SessionRevocation): Promise<void> {
  await bus.announce(sessionRevocationsChannel(), JSON.stringify(revocation));
}
