// Turns one upstream event into each client's response: the plan `Sequence[primary, rest]` runs through the
// gateway's executor with `primary` answered by the event, so the `_entities` fetches and the shape come from
// the query plan, not from code per field. One result per distinct operation, shared while it needs no caller.
import { RemoteGraphQLDataSource, executeQueryPlan, type GraphQLDataSource } from "@apollo/gateway";
import type { FetchNode, PlanNode, QueryPlan } from "@apollo/query-planner";
import { GraphQLError, type ExecutionResult, type FormattedExecutionResult } from "graphql";
import { ErrorCode, type Identity, type Logger } from "@watchflixx/common";
import type { GatewayContext } from "../auth.ts";
import { setCallerClaims, signingFetcher } from "../signing.ts";
import { formatError, serviceUnavailable } from "./errors.ts";
import type { SubscriptionPlan, SubscriptionPlanner } from "./planner.ts";
import type { Subscriber } from "./subscriber.ts";

export type UpstreamEvent = FormattedExecutionResult<Record<string, unknown>, unknown>;

const EVENT_SOURCE = "__subscription_event__";

export interface EventShaperOptions {
  gatewaySecret: string;
  logger: Logger;
  /** The supergraph's planner being served (undefined while none is loaded). */
  planner(): SubscriptionPlanner | undefined;
  subgraphUrl(serviceName: string): string;
  /** The gateway's pooled HTTP client for one subgraph (signing, signing.ts). Default: fetch, signed. */
  fetcherFor?(serviceName: string): RemoteGraphQLDataSource["fetcher"];
}

export class EventShaper {
  private readonly dataSources = new Map<string, GraphQLDataSource<GatewayContext>>();

  constructor(private readonly options: EventShaperOptions) {}

  /** A new supergraph: the data sources are built again for its subgraph URLs. */
  reset(): void {
    this.dataSources.clear();
  }

  /** Shapes one upstream event for every subscriber of a stream, sharing work between equal operations. */
  async deliver(plan: SubscriptionPlan, subscribers: Set<Subscriber>, event: UpstreamEvent): Promise<void> {
    if (event.errors?.length && !event.data) {
      for (const subscriber of subscribers) subscriber.push({ result: { errors: event.errors.map((e) => formatError(e)) } });
      return;
    }
    const byShape = new Map<string, Subscriber[]>();
    for (const subscriber of subscribers) {
      const group = byShape.get(subscriber.shapeKey);
      if (group) group.push(subscriber);
      else byShape.set(subscriber.shapeKey, [subscriber]);
    }
    for (const group of byShape.values()) {
      const first = group[0];
      if (!first) continue;
      const shared = await this.shape(plan, first, event, null);
      if (!shared.errors?.length) {
        for (const subscriber of group) subscriber.push({ result: shared });
        continue;
      }
      // Something in the selection depends on who asks: shape it for each subscriber with its own identity.
      for (const subscriber of group) subscriber.push({ result: await this.shape(plan, subscriber, event, subscriber.identity) });
    }
  }

  private dataSource(serviceName: string): GraphQLDataSource<GatewayContext> {
    let dataSource = this.dataSources.get(serviceName);
    if (!dataSource) {
      const secret = this.options.gatewaySecret;
      dataSource = new RemoteGraphQLDataSource<GatewayContext>({
        url: this.options.subgraphUrl(serviceName),
        fetcher: this.options.fetcherFor?.(serviceName) ?? signingFetcher(fetch as unknown as RemoteGraphQLDataSource["fetcher"], secret),
        willSendRequest({ request, context }) {
          setCallerClaims(request.http?.headers, { identity: context.identity ?? null, clientAddress: context.clientAddress ?? null });
        },
      });
      this.dataSources.set(serviceName, dataSource);
    }
    return dataSource;
  }

  /** The subgraphs by name, with the pseudo source EVENT_SOURCE answering with the event. */
  private serviceMap(event: UpstreamEvent): Record<string, GraphQLDataSource<GatewayContext>> {
    return new Proxy(
      {},
      {
        get: (_target, name) => {
          if (name === EVENT_SOURCE) return { process: async () => ({ data: event.data ?? null, errors: event.errors }) };
          return typeof name === "string" ? this.dataSource(name) : undefined;
        },
      },
    );
  }

  /** Runs Sequence[primary answered by the event, rest] through the gateway's executor. */
  private async shape(plan: SubscriptionPlan, subscriber: Subscriber, event: UpstreamEvent, identity: Identity | null): Promise<ExecutionResult> {
    const planner = this.options.planner();
    if (!planner) return { errors: [serviceUnavailable("The gateway is reloading.")] };
    const eventFetch: FetchNode = { ...plan.primary, serviceName: EVENT_SOURCE };
    const node: PlanNode = plan.rest ? { kind: "Sequence", nodes: [eventFetch, plan.rest] } : eventFetch;
    const queryPlan: QueryPlan = { kind: "QueryPlan", node };
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
      this.serviceMap(event),
      requestContext as unknown as Parameters<typeof executeQueryPlan>[2],
      plan.operationContext,
      planner.supergraphGraphQLSchema,
      planner.apiSchema,
    );
    return withoutPseudoSource(result);
  }
}

/** Errors the pseudo source relays came from the owning subgraph: do not name the pseudo source. */
function withoutPseudoSource(result: ExecutionResult): ExecutionResult {
  const errors = result.errors?.map((error) => {
    const { serviceName: _s, ...extensions } = (error.extensions ?? {}) as Record<string, unknown>;
    const code = extensions.code === "DOWNSTREAM_SERVICE_ERROR" ? ErrorCode.INTERNAL_SERVER_ERROR : extensions.code;
    return new GraphQLError(error.message, { path: error.path, extensions: { ...extensions, code } });
  });
  return errors?.length ? { data: result.data ?? null, errors } : { data: result.data ?? null };
}
