// Federated subscriptions for @apollo/gateway, which serves none by itself.
//
// A client subscribes over graphql-ws on the gateway's own path. The supergraph's planner splits the operation
// into the upstream subscription (`primary`, answered by the owning subgraph) and the per-event fetches of
// fields other subgraphs own (`rest`). Then:
// - Subscribers to the same upstream operation and arguments share ONE upstream subscription, held with the
//   gateway's own SERVICE identity. Each subscriber is first authorized by the owning subgraph with its own
//   identity (POST <subgraph>/graphql/authorize-subscription runs the field's subscribe check).
// - Each event is shaped by the gateway's executor: the plan `Sequence[primary, rest]` runs with `primary`
//   answered by a pseudo data source that returns the event, so the `_entities` fetches and the response shape
//   come from the query plan, not from code per field. The result is computed once per distinct client
//   operation and shared, anonymously: a result that needs the caller (an error came back) is recomputed per
//   subscriber with its own identity.
// - Events of one upstream stream are shaped and delivered one after another: every subscriber sees them in order.
// - A subgraph that revokes access (a member left a party) publishes on Redis; matching subscribers are
//   re-authorized and closed when they no longer pass.
import type http from "node:http";
import { RemoteGraphQLDataSource, executeQueryPlan, type ApolloGateway, type GraphQLDataSource } from "@apollo/gateway";
import type { FetchNode, PlanNode, QueryPlan } from "@apollo/query-planner";
import {
  getOperationAST,
  GraphQLError,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
} from "graphql";
import { getVariableValues } from "graphql/execution/values.js";
import { createClient, type Client } from "graphql-ws";
import { CloseCode } from "graphql-ws";
import WebSocket from "ws";
import {
  ErrorCode,
  DEFAULT_WEBSOCKET_LIMITS,
  GATEWAY_SUBSCRIBER,
  parseGuardedSubscription,
  sessionRevocationsChannel,
  subscriptionRevocationsChannel,
  serveGraphqlWs,
  type WebSocketLimits,
  signIdentityHeaders,
  signWebSocketParams,
  type Identity,
  type Bus,
  type Listening,
  type Logger,
  type RequestGuardOptions,
  type SessionRevocation,
  type SubscriptionRevocation,
  type SubscriptionScope,
} from "@watchflixx/common";
import { AuthenticationFailedError, type AuthenticatedSession, type GatewayContext } from "../auth.ts";
import type { TrustedDocuments } from "../trusted-documents.ts";
import { setCallerClaims, signingFetcher } from "../signing.ts";
import { SubscriptionPlanner, type SubscriptionPlan } from "./planner.ts";

const EVENT_SOURCE = "__subscription_event__";
/** graphql-ws's "too many requests" close code, for a connection over the gateway's rate limit. */
const RATE_LIMITED_CLOSE_CODE = 4429;

export interface SubscriptionEngineOptions {
  gateway: ApolloGateway;
  gatewaySecret: string;
  /** Where the subgraphs announce revocations (Redis, or in memory in embedded mode). */
  bus: Bus;
  logger: Logger;
  /** The gateway's pooled HTTP client for one subgraph (signing, signing.ts), for the per-event entity fetches. Default: fetch, signed. */
  fetcherFor?(serviceName: string): RemoteGraphQLDataSource["fetcher"];
  /** Deadline of a subscription authorization request to a subgraph (default 5 s). */
  timeoutMs?: number;
  /** Subgraph URLs that replace the supergraph's own (the `<SERVICE>_URL` settings). */
  subgraphUrls?: Record<string, string>;
  authenticate(authorization: string | null | undefined): Promise<AuthenticatedSession | null>;
  /** The operation limits and text checks, as for HTTP. */
  guard: RequestGuardOptions;
  /** Resolves persisted-query hashes and, enforcing, refuses documents outside the manifest (before parsing). */
  trustedDocuments?: TrustedDocuments;
  /** The client address of a WebSocket's upgrade request. Default: none (no per-address limit). */
  clientAddressOf?(req: http.IncomingMessage): string;
  /** The gateway's rate limits: each connection and each subscription counts (throws RATE_LIMITED). */
  admit?(caller: { identity: Identity | null; clientAddress: string | null }): Promise<void>;
  /** Default: DEFAULT_SUBSCRIPTION_LIMITS. */
  limits?: SubscriptionLimits;
}

/** Counters a test or an operator can read. */
export interface SubscriptionStats {
  clients: number;
  activeUpstreams: number;
  upstreamsOpened: number;
  eventsReceived: number;
}

type Delivery = { result: ExecutionResult } | { done: true };

export interface SubscriptionLimits extends WebSocketLimits {
  /** Active subscriptions on one socket; the next is refused with RATE_LIMITED (reason TOO_MANY_SUBSCRIPTIONS). */
  maxSubscriptionsPerSocket: number;
  /** Open sockets per account; one more closes the account's oldest with 4429. */
  maxSocketsPerAccount: number;
}

export const DEFAULT_SUBSCRIPTION_LIMITS: SubscriptionLimits = { ...DEFAULT_WEBSOCKET_LIMITS, maxSubscriptionsPerSocket: 50, maxSocketsPerAccount: 20 };

/** Close code of an account's oldest socket, closed when a new one would pass WS_MAX_SOCKETS_PER_ACCOUNT. */
export const CLOSE_TOO_MANY_SOCKETS = 4429;

function tooManySubscriptions(max: number): GraphQLError {
  return new GraphQLError(`At most ${max} subscriptions may be active on one connection: complete one first.`, {
    extensions: { code: ErrorCode.RATE_LIMITED, reason: "TOO_MANY_SUBSCRIPTIONS", limit: max },
  });
}

/** A client this far behind is cut off rather than buffered without bound. */
const MAX_QUEUED_EVENTS = 1000;

/** One client subscription: a push queue whose `return()` detaches at once. */
class Subscriber implements AsyncIterableIterator<ExecutionResult> {
  private readonly queue: Delivery[] = [];
  private waiting: ((value: IteratorResult<ExecutionResult>) => void) | undefined;
  private finished = false;
  onDetach: () => void = () => undefined;

  constructor(
    readonly identity: Identity,
    readonly document: DocumentNode,
    readonly operationName: string | undefined,
    readonly variables: Record<string, unknown>,
    /** Equal for subscribers whose events take the same shape (same operation text and variables). */
    readonly shapeKey: string,
  ) {}

  push(delivery: Delivery): void {
    if (this.finished) return;
    if ("done" in delivery) this.finished = true;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve("done" in delivery ? { done: true, value: undefined } : { done: false, value: delivery.result });
      return;
    }
    if (!("done" in delivery) && this.queue.length >= MAX_QUEUED_EVENTS) {
      // The client does not read its socket: end its subscription (it may subscribe again) and free the memory.
      this.queue.length = 0;
      this.queue.push(
        { result: { errors: [new GraphQLError("Too many undelivered events: subscribe again.", { extensions: { code: "RATE_LIMITED" } })] } },
        { done: true },
      );
      this.finished = true;
      this.onDetach();
      return;
    }
    this.queue.push(delivery);
  }

  async next(): Promise<IteratorResult<ExecutionResult>> {
    const delivery = this.queue.shift();
    if (delivery) return "done" in delivery ? { done: true, value: undefined } : { done: false, value: delivery.result };
    if (this.finished) return { done: true, value: undefined };
    return new Promise((resolve) => (this.waiting = resolve));
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    this.finished = true;
    this.queue.length = 0;
    this.waiting?.({ done: true, value: undefined });
    this.waiting = undefined;
    this.onDetach();
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}

/** One upstream subscription and the clients it serves. */
class SharedStream {
  readonly subscribers = new Set<Subscriber>();
  stopUpstream: () => void = () => undefined;
  /** Events are shaped and delivered strictly one after another. */
  private chain: Promise<void> = Promise.resolve();

  constructor(
    readonly key: string,
    readonly serviceName: string,
    readonly plan: SubscriptionPlan,
    readonly upstreamVariables: Record<string, unknown>,
    readonly rootArguments: Record<string, unknown>,
    /** Who the upstream subscription is held as: the gateway itself (shared) or one account (per subscriber). */
    readonly upstreamIdentity: Identity,
  ) {}

  enqueue(work: () => Promise<void>): void {
    this.chain = this.chain.then(work, work);
  }
}

function formatError(error: GraphQLFormattedError): GraphQLError {
  return new GraphQLError(error.message, { extensions: error.extensions ?? {} });
}

function toWebSocketUrl(httpUrl: string): string {
  const url = new URL(httpUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.toString();
}

/** setTimeout's longest delay (about 24.8 days); a later expiry is re-armed from there. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A socket is as good as the token it was opened with: at the token's expiry the gateway closes it with 4401,
 * as it would refuse that token at connection_init, and the client reconnects with a fresh one (graphql-ws
 * calls its `connectionParams` again). Without this, a socket would go on serving a token that HTTP refuses.
 * (A session that ends sooner, by sign-out, closes its sockets at once: `endSessions`.)
 */
function closeWhenExpired(socket: WebSocket, expiresAt: Date): void {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const remaining = expiresAt.getTime() - Date.now();
    if (remaining <= 0) {
      socket.close(CloseCode.Unauthorized, "Unauthorized: token expired");
      return;
    }
    timer = setTimeout(arm, Math.min(remaining, MAX_TIMER_MS));
    timer.unref();
  };
  arm();
  socket.once("close", () => clearTimeout(timer));
}

export class SubscriptionEngine {
  private planner: SubscriptionPlanner | undefined;
  private readonly streams = new Map<string, SharedStream>();
  private readonly clients = new Map<string, Client>();
  private readonly dataSources = new Map<string, GraphQLDataSource<GatewayContext>>();
  private readonly counters = { upstreamsOpened: 0, eventsReceived: 0 };
  private activeClients = 0;
  /** Open sockets by account, with the device their token names: what a session revocation closes. */
  private readonly sockets = new Map<string, Map<WebSocket, string | null>>();
  private revocations: Listening | undefined;
  private stopSchemaListener: () => void = () => undefined;

  constructor(private readonly options: SubscriptionEngineOptions) {}

  stats(): SubscriptionStats {
    return { clients: this.activeClients, activeUpstreams: this.streams.size, ...this.counters };
  }

  /** Serves graphql-ws on the gateway's HTTP server and path; returns what stops everything. */
  async attach(httpServer: http.Server, path: string): Promise<() => Promise<void>> {
    this.stopSchemaListener = this.options.gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => {
      this.planner = new SubscriptionPlanner(coreSupergraphSdl);
      this.dataSources.clear();
    });
    this.listenForRevocations();

    const limits = this.options.limits ?? DEFAULT_SUBSCRIPTION_LIMITS;
    const stopServing = serveGraphqlWs<Record<string, unknown>, { identity?: Identity | null; clientAddress?: string | null }>(
      {
        onConnect: async (ctx) => {
          const authorization = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
          if (typeof authorization !== "string" || authorization.trim() === "") {
            ctx.extra.socket.close(CloseCode.Unauthorized, "Unauthorized: connectionParams.authorization is required");
            return false;
          }
          try {
            const session = await this.options.authenticate(authorization);
            ctx.extra.identity = session?.identity ?? null;
            ctx.extra.clientAddress = this.options.clientAddressOf?.(ctx.extra.request) ?? null;
            const refused = await this.refusedByRateLimit(ctx.extra.identity, ctx.extra.clientAddress);
            if (refused) {
              ctx.extra.socket.close(RATE_LIMITED_CLOSE_CODE, `Too many requests: retry in ${String(refused.extensions.retryAfterSeconds ?? 1)} s`);
              return false;
            }
            if (session) {
              closeWhenExpired(ctx.extra.socket, session.expiresAt);
              this.trackSocket(ctx.extra.socket, session.identity);
            }
            return true;
          } catch (error) {
            const expired = error instanceof AuthenticationFailedError && error.extensions.reason === "TOKEN_EXPIRED";
            // Expired: re-authenticate (4401). Forged or malformed: refused (4403).
            ctx.extra.socket.close(expired ? CloseCode.Unauthorized : CloseCode.Forbidden, expired ? "Unauthorized: token expired" : "Forbidden");
            return false;
          }
        },
        onSubscribe: async (ctx, _id, payload) => {
          const refused = await this.refusedByRateLimit(ctx.extra.identity ?? null, ctx.extra.clientAddress ?? null);
          if (refused) return [refused];
          // graphql-ws has already registered this one: more than the cap means one too many.
          if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptionsPerSocket) return [tooManySubscriptions(limits.maxSubscriptionsPerSocket)];
          const planner = this.planner;
          if (!planner) return [new GraphQLError("The gateway is starting.", { extensions: { code: "SERVICE_UNAVAILABLE" } })];
          const resolved = this.options.trustedDocuments?.resolve(payload) ?? { query: payload.query };
          if ("errors" in resolved) return resolved.errors;
          const source = resolved.query;
          let document: DocumentNode;
          try {
            // Limits and text checks before validation and planning, as over HTTP.
            document = parseGuardedSubscription(planner.apiGraphQLSchema, source, payload.variables, this.options.guard);
          } catch (error) {
            return [error instanceof GraphQLError ? error : new GraphQLError(String(error))];
          }
          const errors = validate(planner.apiGraphQLSchema, document);
          if (errors.length > 0) return errors.map((e) => new GraphQLError(e.message, { extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }));
          const operation = getOperationAST(document, payload.operationName ?? undefined);
          if (!operation) return [new GraphQLError("Unknown operation.", { extensions: { code: "BAD_USER_INPUT" } })];
          if (operation.operation !== "subscription") {
            return [new GraphQLError("Only subscriptions are served over WebSocket; send queries and mutations over HTTP.", { extensions: { code: "BAD_REQUEST" } })];
          }
          const coerced = getVariableValues(planner.apiGraphQLSchema, operation.variableDefinitions ?? [], payload.variables ?? {});
          if (coerced.errors) return coerced.errors.map((e) => new GraphQLError(e.message, { extensions: { code: "BAD_USER_INPUT" } }));
          const args: ExecutionArgs = {
            schema: planner.apiGraphQLSchema,
            document,
            operationName: payload.operationName ?? undefined,
            variableValues: coerced.coerced,
            contextValue: { identity: ctx.extra.identity ?? null, source },
          };
          return args;
        },
        subscribe: (args) => {
          const { identity, source } = args.contextValue as { identity: Identity | null; source: string };
          return this.subscribe(identity, args.document, source, args.operationName ?? undefined, (args.variableValues ?? {}) as Record<string, unknown>);
        },
      },
      { server: httpServer, path, limits, logger: this.options.logger },
    );

    return async () => {
      this.stopSchemaListener();
      await stopServing();
      for (const stream of this.streams.values()) stream.stopUpstream();
      this.streams.clear();
      // A client whose lazy connection had just closed ('All Subscriptions Gone') rejects its dispose() with that
      // close event: nothing is left to release, and the shutdown must go on.
      await Promise.all([...this.clients.values()].map((client) => Promise.resolve(client.dispose()).catch(() => undefined)));
      this.clients.clear();
      await this.revocations?.close();
    };
  }

  /** The RATE_LIMITED error when the caller is over one of the gateway's limits, else undefined. */
  private async refusedByRateLimit(identity: Identity | null, clientAddress: string | null): Promise<GraphQLError | undefined> {
    try {
      await this.options.admit?.({ identity, clientAddress });
      return undefined;
    } catch (error) {
      if (error instanceof GraphQLError && error.extensions.code === ErrorCode.RATE_LIMITED) return error;
      throw error;
    }
  }

  private subgraphUrl(serviceName: string): string {
    const url = this.options.subgraphUrls?.[serviceName] ?? this.planner?.subgraphUrls.get(serviceName);
    if (!url) throw new Error(`no URL for subgraph ${serviceName}`);
    return url;
  }

  private async subscribe(
    identity: Identity | null,
    document: DocumentNode,
    source: string,
    operationName: string | undefined,
    variables: Record<string, unknown>,
  ): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    const planner = this.planner;
    if (!planner) return { errors: [new GraphQLError("The gateway is starting.", { extensions: { code: "SERVICE_UNAVAILABLE" } })] };
    if (!identity) return { errors: [new GraphQLError("You must be signed in.", { extensions: { code: ErrorCode.UNAUTHENTICATED } })] };

    const plan = planner.plan(document, source, operationName);
    const serviceName = plan.primary.serviceName;
    const upstreamVariables = Object.fromEntries((plan.primary.variableUsages ?? []).map((name) => [name, variables[name]]));

    // The owning subgraph decides, with the subscriber's own identity, before it joins any shared stream.
    const decision = await this.authorize(serviceName, plan.primary.operation, upstreamVariables, identity);
    if ("errors" in decision) return { errors: decision.errors };

    // Per-account fields get one upstream stream per account, held as that account.
    const upstreamIdentity = decision.scope === "subscriber" ? identity : GATEWAY_SUBSCRIBER;
    const owner = decision.scope === "subscriber" ? identity.userId : "*";
    const key = `${serviceName}\n${owner}\n${plan.primary.operation}\n${JSON.stringify(upstreamVariables)}`;
    let stream = this.streams.get(key);
    if (!stream) {
      stream = new SharedStream(key, serviceName, plan, upstreamVariables, plan.rootArguments(upstreamVariables), upstreamIdentity);
      this.streams.set(key, stream);
      this.openUpstream(stream);
    }
    const subscriber = new Subscriber(identity, document, operationName, variables, `${operationName ?? ""}\n${source}\n${JSON.stringify(variables)}`);
    const joined = stream;
    joined.subscribers.add(subscriber);
    this.activeClients += 1;
    subscriber.onDetach = () => {
      if (!joined.subscribers.delete(subscriber)) return;
      this.activeClients -= 1;
      if (joined.subscribers.size === 0 && this.streams.get(joined.key) === joined) {
        this.streams.delete(joined.key);
        joined.stopUpstream();
        this.releaseClient(joined);
      }
    };
    return subscriber;
  }

  /** The subgraph's decision for this identity: a scope to subscribe with, or its errors. */
  private async authorize(
    serviceName: string,
    operation: string,
    variables: Record<string, unknown>,
    identity: Identity,
  ): Promise<{ scope: SubscriptionScope } | { errors: GraphQLError[] }> {
    try {
      const request = JSON.stringify({ query: operation, variables });
      const response = await fetch(`${this.subgraphUrl(serviceName)}/authorize-subscription`, {
        method: "POST",
        headers: { "content-type": "application/json", ...signIdentityHeaders(identity, this.options.gatewaySecret, { body: request }) },
        body: request,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
      });
      const body = (await response.json()) as { authorized?: boolean; scope?: SubscriptionScope; errors?: GraphQLFormattedError[] };
      if (response.ok && body.authorized) return { scope: body.scope === "subscriber" ? "subscriber" : "shared" };
      const errors = (body.errors ?? []).map(formatError);
      return { errors: errors.length > 0 ? errors : [new GraphQLError("You may not subscribe to this.", { extensions: { code: ErrorCode.FORBIDDEN } })] };
    } catch (error) {
      this.options.logger.error(`subscription authorization at ${serviceName} failed`, error);
      return { errors: [new GraphQLError("Internal server error", { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } })] };
    }
  }

  /** One upstream connection per subgraph and identity (the gateway's own, or one account's). */
  private upstreamClient(serviceName: string, identity: Identity): Client {
    const url = toWebSocketUrl(this.subgraphUrl(serviceName));
    const key = `${url}\n${identity.userId}`;
    let client = this.clients.get(key);
    if (!client) {
      client = createClient({
        url,
        webSocketImpl: WebSocket,
        // Signed afresh at every (re)connection: the signature has a limited age and a one-time nonce.
        connectionParams: () => signWebSocketParams(identity, this.options.gatewaySecret),
        lazy: true,
        lazyCloseTimeout: 1000,
        keepAlive: 10_000,
        retryAttempts: Number.POSITIVE_INFINITY,
        shouldRetry: () => true,
        retryWait: async (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** retries, 5000))),
      });
      this.clients.set(key, client);
    }
    return client;
  }

  /** An account's own upstream connection goes when its last stream does (the shared one stays, lazily closed). */
  private releaseClient(stream: SharedStream): void {
    if (stream.upstreamIdentity === GATEWAY_SUBSCRIBER) return;
    const inUse = [...this.streams.values()].some(
      (other) => other.serviceName === stream.serviceName && other.upstreamIdentity.userId === stream.upstreamIdentity.userId,
    );
    if (inUse) return;
    const key = `${toWebSocketUrl(this.subgraphUrl(stream.serviceName))}\n${stream.upstreamIdentity.userId}`;
    const client = this.clients.get(key);
    this.clients.delete(key);
    void Promise.resolve(client?.dispose()).catch(() => undefined);
  }

  private openUpstream(stream: SharedStream): void {
    this.counters.upstreamsOpened += 1;
    const client = this.upstreamClient(stream.serviceName, stream.upstreamIdentity);
    stream.stopUpstream = client.subscribe<Record<string, unknown>>(
      { query: stream.plan.primary.operation, variables: stream.upstreamVariables },
      {
        next: (event) => {
          this.counters.eventsReceived += 1;
          stream.enqueue(() => this.deliver(stream, event));
        },
        error: (error) => {
          const errors = Array.isArray(error) ? (error as GraphQLFormattedError[]).map(formatError) : [new GraphQLError("Internal server error", { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } })];
          if (!Array.isArray(error)) this.options.logger.error(`upstream subscription to ${stream.serviceName} failed`, error);
          stream.enqueue(async () => this.finish(stream, errors));
        },
        complete: () => stream.enqueue(async () => this.finish(stream, [])),
      },
    );
  }

  private finish(stream: SharedStream, errors: GraphQLError[]): void {
    if (this.streams.get(stream.key) === stream) this.streams.delete(stream.key);
    this.releaseClient(stream);
    for (const subscriber of [...stream.subscribers]) {
      if (errors.length > 0) subscriber.push({ result: { errors } });
      subscriber.push({ done: true });
      stream.subscribers.delete(subscriber);
      this.activeClients -= 1;
    }
  }

  /** Shapes one upstream event for every subscriber of the stream, sharing work between equal operations. */
  private async deliver(stream: SharedStream, event: FormattedExecutionResult<Record<string, unknown>, unknown>): Promise<void> {
    if (event.errors?.length && !event.data) {
      for (const subscriber of stream.subscribers) subscriber.push({ result: { errors: event.errors.map((e) => formatError(e)) } });
      return;
    }
    const byShape = new Map<string, Subscriber[]>();
    for (const subscriber of stream.subscribers) {
      const group = byShape.get(subscriber.shapeKey);
      if (group) group.push(subscriber);
      else byShape.set(subscriber.shapeKey, [subscriber]);
    }
    for (const group of byShape.values()) {
      const first = group[0];
      if (!first) continue;
      const shared = await this.shape(stream.plan, first, event, null);
      if (!shared.errors?.length) {
        for (const subscriber of group) subscriber.push({ result: shared });
        continue;
      }
      // Something in the selection depends on who asks: shape it for each subscriber with its own identity.
      for (const subscriber of group) subscriber.push({ result: await this.shape(stream.plan, subscriber, event, subscriber.identity) });
    }
  }

  private dataSource(serviceName: string): GraphQLDataSource<GatewayContext> {
    let dataSource = this.dataSources.get(serviceName);
    if (!dataSource) {
      const secret = this.options.gatewaySecret;
      dataSource = new RemoteGraphQLDataSource<GatewayContext>({
        url: this.subgraphUrl(serviceName),
        fetcher: this.options.fetcherFor?.(serviceName) ?? signingFetcher(fetch as unknown as RemoteGraphQLDataSource["fetcher"], secret),
        willSendRequest({ request, context }) {
          setCallerClaims(request.http?.headers, { identity: context.identity ?? null, clientAddress: context.clientAddress ?? null });
        },
      });
      this.dataSources.set(serviceName, dataSource);
    }
    return dataSource;
  }

  /** Runs Sequence[primary answered by the event, rest] through the gateway's executor. */
  private async shape(plan: SubscriptionPlan, subscriber: Subscriber, event: FormattedExecutionResult<Record<string, unknown>, unknown>, identity: Identity | null): Promise<ExecutionResult> {
    const planner = this.planner;
    if (!planner) return { errors: [new GraphQLError("The gateway is reloading.", { extensions: { code: "SERVICE_UNAVAILABLE" } })] };
    const eventFetch: FetchNode = { ...plan.primary, serviceName: EVENT_SOURCE };
    const node: PlanNode = plan.rest ? { kind: "Sequence", nodes: [eventFetch, plan.rest] } : eventFetch;
    const queryPlan: QueryPlan = { kind: "QueryPlan", node };
    const serviceMap: Record<string, GraphQLDataSource<GatewayContext>> = new Proxy(
      {},
      {
        get: (_target, name) => {
          if (name === EVENT_SOURCE) return { process: async () => ({ data: event.data ?? null, errors: event.errors }) };
          return typeof name === "string" ? this.dataSource(name) : undefined;
        },
      },
    );
    const context: GatewayContext = { identity, requestId: `subscription-event`, clientAddress: null };
    const requestContext = {
      request: { query: "", variables: subscriber.variables, operationName: subscriber.operationName },
      context,
      logger: {
        debug: () => undefined,
        info: () => undefined,
        warn: (message: unknown) => this.options.logger.warn(String(message)),
        error: (message: unknown) => this.options.logger.error(String(message)),
      },
      metrics: {},
      cache: undefined,
      overallCachePolicy: undefined,
      schema: planner.apiGraphQLSchema,
    };
    const result = await executeQueryPlan(
      queryPlan,
      serviceMap,
      requestContext as unknown as Parameters<typeof executeQueryPlan>[2],
      plan.operationContext,
      planner.supergraphGraphQLSchema,
      planner.apiSchema,
    );
    const errors = result.errors?.map((error) => {
      // Errors the pseudo source relays came from the owning subgraph: do not name the pseudo source.
      const { serviceName: _s, ...extensions } = (error.extensions ?? {}) as Record<string, unknown>;
      const code = extensions.code === "DOWNSTREAM_SERVICE_ERROR" ? ErrorCode.INTERNAL_SERVER_ERROR : extensions.code;
      return new GraphQLError(error.message, { path: error.path, extensions: { ...extensions, code } });
    });
    return errors?.length ? { data: result.data ?? null, errors } : { data: result.data ?? null };
  }

  private listenForRevocations(): void {
    this.revocations = this.options.bus.listen([subscriptionRevocationsChannel(), sessionRevocationsChannel()], (channel, message) => {
      if (channel === sessionRevocationsChannel()) this.endSessions(message);
      else void this.revoke(message);
    });
  }

  private trackSocket(socket: WebSocket, identity: Identity): void {
    const ofAccount = this.sockets.get(identity.userId) ?? new Map<WebSocket, string | null>();
    this.sockets.set(identity.userId, ofAccount);
    // Over the cap the account's OLDEST socket goes, not the new one: a device that just reconnected (new
    // network, woken from sleep) is the one in use, the oldest is the likeliest to be a dead connection not yet
    // noticed. 4429 is final for graphql-ws clients (no automatic retry), so two devices cannot evict each
    // other in a loop.
    const max = this.options.limits?.maxSocketsPerAccount ?? DEFAULT_SUBSCRIPTION_LIMITS.maxSocketsPerAccount;
    for (const oldest of ofAccount.keys()) {
      if (ofAccount.size < max) break;
      ofAccount.delete(oldest);
      oldest.close(CLOSE_TOO_MANY_SOCKETS, "Too many connections for this account: this one, the oldest, was closed");
    }
    ofAccount.set(socket, identity.deviceId);
    socket.once("close", () => {
      ofAccount.delete(socket);
      if (ofAccount.size === 0 && this.sockets.get(identity.userId) === ofAccount) this.sockets.delete(identity.userId);
    });
  }

  /**
   * A session ended (signed out, or its refresh token was reused): its sockets close now with 4401, as at the
   * token's expiry; the client's refresh then fails and it signs in again. A revocation for one device spares
   * the account's other devices.
   */
  private endSessions(message: string): void {
    let revocation: SessionRevocation;
    try {
      revocation = JSON.parse(message) as SessionRevocation;
    } catch {
      return;
    }
    for (const [socket, deviceId] of this.sockets.get(revocation.userId) ?? []) {
      if (revocation.deviceId === null || revocation.deviceId === deviceId) socket.close(CloseCode.Unauthorized, "Unauthorized: signed out");
    }
  }

  /** Re-authorizes the subscribers a revocation names; those refused now are closed with the subgraph's errors. */
  private async revoke(message: string): Promise<void> {
    let revocation: SubscriptionRevocation;
    try {
      revocation = JSON.parse(message) as SubscriptionRevocation;
    } catch {
      return;
    }
    for (const stream of [...this.streams.values()]) {
      if (stream.serviceName !== revocation.service || !revocation.fields.includes(stream.plan.rootField)) continue;
      const matches = Object.entries(revocation.arguments).every(([name, value]) => stream.rootArguments[name] === value);
      if (!matches) continue;
      for (const subscriber of [...stream.subscribers]) {
        if (subscriber.identity.userId !== revocation.userId) continue;
        const decision = await this.authorize(stream.serviceName, stream.plan.primary.operation, stream.upstreamVariables, subscriber.identity);
        if (!("errors" in decision)) continue;
        const refusal = decision.errors;
        // Ordered after the events already queued for this stream.
        stream.enqueue(async () => {
          subscriber.push({ result: { errors: refusal } });
          subscriber.push({ done: true });
          subscriber.onDetach();
        });
      }
    }
  }
}
