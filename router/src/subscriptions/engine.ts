// Federated subscriptions for @apollo/gateway, which serves none (router/README.md "Subscriptions"): the engine
// serves graphql-ws on the gateway's path and hands each step to its part, in the order a subscription meets them:
// connection, operation, planner, authorize, shared-streams (upstream, event-shaper, subscriber); sockets, revocations.
import type http from "node:http";
import type { ApolloGateway, RemoteGraphQLDataSource } from "@apollo/gateway";
import { GraphQLError, type DocumentNode, type ExecutionResult } from "graphql";
import { ErrorCode, GATEWAY_SUBSCRIBER, serveGraphqlWs, type Identity, type Bus, type Listening, type Logger } from "@watchflixx/common";
import type { AuthenticatedSession } from "../auth.ts";
import { authorizeSubscription, type AuthorizationRequest, type SubgraphAuthorizer } from "./authorize.ts";
import { ConnectionGate, type ClientOfSocket } from "./connection.ts";
import { serviceUnavailable } from "./errors.ts";
import { EventShaper } from "./event-shaper.ts";
import { subscriptionArgs, type OperationChecks, type SubscriptionCaller } from "./operation.ts";
import { SubscriptionPlanner } from "./planner.ts";
import { listenForRevocations } from "./revocations.ts";
import { SharedStreams, type SubscriptionStats } from "./shared-streams.ts";
import { DEFAULT_SUBSCRIPTION_LIMITS, SocketRegistry, type SubscriptionLimits } from "./sockets.ts";
import { Subscriber } from "./subscriber.ts";
import { UpstreamConnections } from "./upstream.ts";

export interface SubscriptionEngineOptions extends OperationChecks {
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
  /** The client address of a WebSocket's upgrade request. Default: none (no per-address limit). */
  clientAddressOf?(req: http.IncomingMessage): string;
  /** The gateway's rate limits: each connection and each subscription counts (throws RATE_LIMITED). */
  admit?(caller: { identity: Identity | null; clientAddress: string | null }): Promise<void>;
  /** Default: DEFAULT_SUBSCRIPTION_LIMITS. */
  limits?: SubscriptionLimits;
}

export class SubscriptionEngine {
  private planner: SubscriptionPlanner | undefined;
  private readonly limits: SubscriptionLimits;
  private readonly authorizer: SubgraphAuthorizer;
  private readonly upstreams: UpstreamConnections;
  private readonly shaper: EventShaper;
  private readonly streams: SharedStreams;
  private readonly sockets: SocketRegistry;
  private readonly gate: ConnectionGate;
  private revocations: Listening | undefined;
  private stopSchemaListener: () => void = () => undefined;

  constructor(private readonly options: SubscriptionEngineOptions) {
    const { gatewaySecret, logger } = options;
    const subgraphUrl = (serviceName: string) => this.subgraphUrl(serviceName);
    this.limits = options.limits ?? DEFAULT_SUBSCRIPTION_LIMITS;
    this.authorizer = { gatewaySecret, timeoutMs: options.timeoutMs ?? 5_000, subgraphUrl, logger };
    this.upstreams = new UpstreamConnections(gatewaySecret, subgraphUrl);
    this.shaper = new EventShaper({ gatewaySecret, logger, subgraphUrl, planner: () => this.planner, fetcherFor: options.fetcherFor });
    this.streams = new SharedStreams(this.upstreams, this.shaper, logger);
    this.sockets = new SocketRegistry(this.limits.maxSocketsPerAccount);
    this.gate = new ConnectionGate({ ...options, sockets: this.sockets, maxSubscriptionsPerSocket: this.limits.maxSubscriptionsPerSocket });
  }

  stats(): SubscriptionStats {
    return this.streams.stats();
  }

  /** Serves graphql-ws on the gateway's HTTP server and path; returns what stops everything. */
  async attach(httpServer: http.Server, path: string): Promise<() => Promise<void>> {
    this.stopSchemaListener = this.options.gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => {
      this.planner = new SubscriptionPlanner(coreSupergraphSdl);
      this.shaper.reset();
    });
    this.revocations = listenForRevocations(this.options.bus, {
      endSession: (revocation) => this.sockets.endSession(revocation),
      streams: () => this.streams.all(),
      authorize: (request) => this.authorize(request),
    });

    const stopServing = serveGraphqlWs<Record<string, unknown>, ClientOfSocket>(
      {
        onConnect: (ctx) => this.gate.accept(ctx),
        onSubscribe: async (ctx, _id, payload) => {
          const refused = await this.gate.refuseSubscription(ctx);
          if (refused) return refused;
          return subscriptionArgs(this.planner, payload, ctx.extra.identity ?? null, this.options);
        },
        subscribe: (args) => {
          const { identity, source } = args.contextValue as SubscriptionCaller;
          return this.subscribe(identity, args.document, source, args.operationName ?? undefined, (args.variableValues ?? {}) as Record<string, unknown>);
        },
      },
      { server: httpServer, path, limits: this.limits, logger: this.options.logger },
    );

    return async () => {
      this.stopSchemaListener();
      await stopServing();
      this.streams.stopAll();
      await this.upstreams.closeAll();
      await this.revocations?.close();
    };
  }

  private subgraphUrl(serviceName: string): string {
    const url = this.options.subgraphUrls?.[serviceName] ?? this.planner?.subgraphUrls.get(serviceName);
    if (!url) throw new Error(`no URL for subgraph ${serviceName}`);
    return url;
  }

  private authorize(request: AuthorizationRequest) {
    return authorizeSubscription(this.authorizer, request);
  }

  private async subscribe(
    identity: Identity | null,
    document: DocumentNode,
    source: string,
    operationName: string | undefined,
    variables: Record<string, unknown>,
  ): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    const planner = this.planner;
    if (!planner) return { errors: [serviceUnavailable("The gateway is starting.")] };
    if (!identity) return { errors: [new GraphQLError("You must be signed in.", { extensions: { code: ErrorCode.UNAUTHENTICATED } })] };

    const plan = planner.plan(document, source, operationName);
    const serviceName = plan.primary.serviceName;
    const upstreamVariables = Object.fromEntries((plan.primary.variableUsages ?? []).map((name) => [name, variables[name]]));

    // The owning subgraph decides, with the subscriber's own identity, before it joins any shared stream.
    const decision = await this.authorize({ serviceName, operation: plan.primary.operation, variables: upstreamVariables, identity });
    if ("errors" in decision) return { errors: decision.errors };

    // Per-account fields get one upstream stream per account, held as that account.
    const perAccount = decision.scope === "subscriber";
    const subscriber = new Subscriber(identity, document, operationName, variables, `${operationName ?? ""}\n${source}\n${JSON.stringify(variables)}`);
    this.streams.join(
      { serviceName, plan, upstreamVariables, upstreamIdentity: perAccount ? identity : GATEWAY_SUBSCRIBER, owner: perAccount ? identity.userId : "*" },
      subscriber,
    );
    return subscriber;
  }
}
