// Plans client subscriptions with the supergraph's own query planner, as Apollo Router does: the root field goes
// to the owning subgraph as an upstream subscription (`primary`), and the fields other subgraphs own are fetched
// per event (`rest`, typically `_entities`). Rebuilt whenever the gateway loads a new supergraph.
import { buildOperationContext } from "@apollo/gateway";
import { operationFromDocument, Supergraph, type Schema } from "@apollo/federation-internals";
import { QueryPlanner, type FetchNode, type PlanNode, type QueryPlan } from "@apollo/query-planner";
import { Kind, parse, valueFromASTUntyped, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from "graphql";

export interface SubscriptionPlan {
  /** The upstream subscription: service, operation text and the client variables it uses. */
  primary: FetchNode;
  /** Per-event fetches from other subgraphs, if the selection needs any. */
  rest: PlanNode | undefined;
  /** The subscription's root field in the owning subgraph and its argument values (for revocations). */
  rootField: string;
  rootArguments(variables: Record<string, unknown>): Record<string, unknown>;
  operationContext: ReturnType<typeof buildOperationContext>;
}

export class SubscriptionPlanner {
  readonly apiSchema: Schema;
  readonly apiGraphQLSchema: GraphQLSchema;
  readonly supergraphGraphQLSchema: GraphQLSchema;
  /** Subgraph name → URL, as the supergraph records them. */
  readonly subgraphUrls: Map<string, string>;
  private readonly planner: QueryPlanner;
  private readonly cache = new Map<string, SubscriptionPlan>();

  constructor(supergraphSdl: string) {
    const supergraph = Supergraph.build(supergraphSdl);
    this.apiSchema = supergraph.apiSchema();
    this.apiGraphQLSchema = this.apiSchema.toGraphQLJSSchema();
    this.supergraphGraphQLSchema = supergraph.schema.toGraphQLJSSchema();
    this.subgraphUrls = new Map(supergraph.subgraphsMetadata().map(({ name, url }) => [name, url]));
    this.planner = new QueryPlanner(supergraph);
  }

  plan(document: DocumentNode, source: string, operationName: string | undefined): SubscriptionPlan {
    const cacheKey = `${operationName ?? ""}\n${source}`;
    const cached = this.cache.get(cacheKey);
    if (cached) return cached;
    const operation = operationFromDocument(this.apiSchema, document, { operationName });
    const queryPlan: QueryPlan = this.planner.buildQueryPlan(operation);
    const node = queryPlan.node;
    if (node?.kind !== "Subscription") throw new Error("not a subscription operation");
    const upstream = parse(node.primary.operation);
    const definition = upstream.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const root = definition?.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
    if (!root || root.kind !== Kind.FIELD) throw new Error("the upstream subscription has no root field");
    const plan: SubscriptionPlan = {
      primary: node.primary,
      rest: node.rest,
      rootField: root.name.value,
      rootArguments: (variables) =>
        Object.fromEntries((root.arguments ?? []).map((argument) => [argument.name.value, valueFromASTUntyped(argument.value, variables)])),
      operationContext: buildOperationContext({ schema: this.apiGraphQLSchema, operationDocument: document, operationName }),
    };
    if (this.cache.size > 1000) this.cache.clear();
    this.cache.set(cacheKey, plan);
    return plan;
  }
}
