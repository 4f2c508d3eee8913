// The whole WatchFlixx supergraph in one process (all seven subgraphs behind the real gateway, on a seeded
// database of its own), and a client that sends the contract's operations as the files spell them and checks,
// on every response, what every client relies on: no stack trace or SQL in an error, DateTime values in ISO
// 8601 UTC, progressPercent within 0..100 and completionRate within 0..1.
import { randomUUID } from "node:crypto";
import {
  getNamedType,
  isAbstractType,
  isObjectType,
  isScalarType,
  Kind,
  parse,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";
import { createClient as createWsClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { expect } from "vitest";
import type { SubgraphDefinition } from "@watchflixx/common";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { startSupergraph, type GraphQLResult, type RunningSupergraph } from "@watchflixx/testing";
import { createAuthSubgraph } from "@watchflixx/auth";
import { createContentSubgraph } from "@watchflixx/content";
import { createStreamingSubgraph } from "@watchflixx/streaming";
import { createPaymentSubgraph, parsePaymentConfig } from "@watchflixx/payment";
import { createSocialSubgraph } from "@watchflixx/social";
import { createAnalyticsSubgraph } from "@watchflixx/analytics";
import { createNotificationSubgraph } from "@watchflixx/notification";
import { contractOperation } from "./contract.ts";

export const DEMO_PASSWORD = "watchflixx-demo";
export const PASSWORD = "a long enough passphrase 42";
/** expect.poll settings for what the event consumers (analytics, notification) produce. */
export const EVENTUALLY = { timeout: 30_000, interval: 250 };
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

// ---------------------------------------------------------------------------------------------------------------
// The seven subgraphs

/** Builds one subgraph definition; a subgraph that cannot be built yet fails loudly, naming itself. */
async function build<T>(name: string, create: () => Promise<SubgraphDefinition<T>>): Promise<SubgraphDefinition<T>> {
  try {
    return await create();
  } catch (error) {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    throw new Error(`The ${name} subgraph cannot be built, so the supergraph is incomplete:\n${detail}`);
  }
}

export async function allSubgraphs(): Promise<SubgraphDefinition<unknown>[]> {
  // The event consumers poll their own database (no Redis wake-ups from streams other tests share).
  const consumer = { redisUrl: null, pollIntervalMs: 200 };
  const definitions = [
    await build("auth", () => createAuthSubgraph()),
    await build("content", () => createContentSubgraph()),
    await build("streaming", () => createStreamingSubgraph()),
    await build("payment", () =>
      createPaymentSubgraph({ config: parsePaymentConfig({ NODE_ENV: "test", LOG_LEVEL: "error", PAYMENT_PROVIDER: "local" }) }),
    ),
    await build("social", () => createSocialSubgraph()),
    await build("analytics", () => createAnalyticsSubgraph({ consumer })),
    await build("notification", () => createNotificationSubgraph({ consumer, emailPollIntervalMs: 60_000 })),
  ];
  return definitions as SubgraphDefinition<unknown>[];
}

export interface World {
  database: TestDatabase;
  supergraph: RunningSupergraph;
  /** The API schema the gateway serves (what clients validate against). */
  schema: GraphQLSchema;
  client: ContractClient;
  stop(): Promise<void>;
}

export async function startWorld(): Promise<World> {
  const database = await createTestDatabase({ seeded: true });
  let supergraph: RunningSupergraph;
  try {
    supergraph = await startSupergraph({ db: database.db, config: { LOG_LEVEL: "error" }, subgraphs: await allSubgraphs() });
  } catch (error) {
    await database.drop();
    throw error;
  }
  const schema = supergraph.gateway.gateway.schema;
  if (!schema) throw new Error("the gateway has no API schema after start");
  return {
    database,
    supergraph,
    schema,
    client: new ContractClient(supergraph, schema),
    async stop() {
      await supergraph.stop();
      await database.drop();
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// What no error may carry

const LEAKS: [RegExp, string][] = [
  [/(^|\n)\s*at\s+\S/, "a stack frame"],
  [/\.(?:[cm]?js|ts):\d+:\d+/, "a source position"],
  [/prisma/i, "Prisma"],
  [/\bSELECT\b/, "SQL (SELECT)"],
  [/\b(?:INSERT INTO|UPDATE\s+"|DELETE FROM)\b/i, "SQL"],
  [/relation\s+"/i, "a PostgreSQL relation"],
  [/violates .* constraint/i, "a PostgreSQL constraint"],
];

/** What an error shows that it should not (stack traces, SQL, Prisma), empty when it is clean. */
export function leaksOf(error: unknown): string[] {
  // Serialised whole (message, extensions, anything else), with JSON's escapes undone.
  const text = (JSON.stringify(error) ?? String(error)).replace(/\\n/g, "\n").replace(/\\"/g, '"');
  const found = LEAKS.filter(([pattern]) => pattern.test(text)).map(([, what]) => what);
  const extensions = (error as { extensions?: Record<string, unknown> } | null)?.extensions;
  for (const key of ["stacktrace", "exception", "serviceName", "response"]) {
    if (extensions && key in extensions) found.push(`extensions.${key}`);
  }
  return found;
}

export interface SeenError {
  operation: string;
  error: unknown;
}

// ---------------------------------------------------------------------------------------------------------------
// Values typed by the schema: DateTime format, percentages

interface Walk {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  problems: string[];
}

function checkScalar(walk: Walk, pathText: string, fieldName: string, type: GraphQLNamedType, value: unknown): void {
  if (value === null || value === undefined) return;
  if (type.name === "DateTime") {
    if (typeof value !== "string" || !ISO_UTC.test(value) || Number.isNaN(Date.parse(value))) {
      walk.problems.push(`${pathText} is not an ISO 8601 UTC DateTime: ${JSON.stringify(value)}`);
    }
  }
  if (fieldName === "progressPercent" && (typeof value !== "number" || value < 0 || value > 100)) {
    walk.problems.push(`${pathText} (progressPercent) is outside 0..100: ${JSON.stringify(value)}`);
  }
  if (fieldName === "completionRate" && (typeof value !== "number" || value < 0 || value > 1)) {
    walk.problems.push(`${pathText} (completionRate) is outside 0..1: ${JSON.stringify(value)}`);
  }
}

function walkSelection(walk: Walk, selectionSet: SelectionSetNode, parent: GraphQLNamedType, data: unknown, pathText: string): void {
  if (data === null || data === undefined || typeof data !== "object") return;
  if (Array.isArray(data)) {
    data.forEach((item, index) => walkSelection(walk, selectionSet, parent, item, `${pathText}[${index}]`));
    return;
  }
  const record = data as Record<string, unknown>;
  let objectType: GraphQLNamedType = parent;
  if (isAbstractType(parent) && typeof record.__typename === "string") {
    objectType = walk.schema.getType(record.__typename) ?? parent;
  }
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const typeName = selection.typeCondition?.name.value;
      walkSelection(walk, selection.selectionSet, typeName ? (walk.schema.getType(typeName) ?? objectType) : objectType, record, pathText);
      continue;
    }
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = walk.fragments.get(selection.name.value);
      if (fragment) walkSelection(walk, fragment.selectionSet, walk.schema.getType(fragment.typeCondition.name.value) ?? objectType, record, pathText);
      continue;
    }
    if (!isObjectType(objectType)) continue;
    const field = objectType.getFields()[selection.name.value];
    if (!field) continue;
    const key = selection.alias?.value ?? selection.name.value;
    const value = record[key];
    const type = getNamedType(field.type);
    const childPath = pathText ? `${pathText}.${key}` : key;
    if (selection.selectionSet) {
      walkSelection(walk, selection.selectionSet, type, value, childPath);
    } else if (isScalarType(type)) {
      const values = Array.isArray(value) ? value : [value];
      for (const item of values) checkScalar(walk, childPath, field.name, type, item);
    }
  }
}

/** Problems with the DateTime, progressPercent and completionRate values of `data` (typed by the operation). */
export function valueProblems(schema: GraphQLSchema, source: string, operationName: string | undefined, data: unknown): string[] {
  const document = parse(source);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const operation = document.definitions.find(
    (definition) => definition.kind === Kind.OPERATION_DEFINITION && (operationName === undefined || definition.name?.value === operationName),
  );
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return [`no operation ${operationName ?? ""} in the document`];
  const root = schema.getRootType(operation.operation);
  if (!root) return [`the schema has no ${operation.operation} root`];
  const walk: Walk = { schema, fragments, problems: [] };
  walkSelection(walk, operation.selectionSet, root, data, "");
  return walk.problems;
}

// ---------------------------------------------------------------------------------------------------------------
// The client

export class ContractClient {
  /** Every error any response carried (HTTP and WebSocket), with the operation that got it. */
  readonly errorsSeen: SeenError[] = [];
  /** Contract operations that have come back without errors. */
  readonly succeeded = new Set<string>();
  /** How many responses had their values checked. */
  checkedResponses = 0;

  constructor(
    private readonly supergraph: RunningSupergraph,
    readonly schema: GraphQLSchema,
  ) {}

  get url(): string {
    return this.supergraph.url;
  }

  /** Sends the contract operation `name` the way a client ships it: its whole file, with `operationName`. */
  async run(name: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResult> {
    const operation = contractOperation(name);
    const result = await this.supergraph.gql(operation.source, variables, { operationName: name, ...(token ? { token } : {}) });
    this.inspect(name, operation.source, name, result);
    if (!result.errors?.length) this.succeeded.add(name);
    return result;
  }

  /** A request outside the contract (staff tools, a field the README speaks of), checked the same way. */
  async raw(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResult> {
    const result = await this.supergraph.gql(query, variables, token ? { token } : {});
    this.inspect("(ad hoc)", query, undefined, result);
    return result;
  }

  /** Records and checks a result that arrived some other way (a subscription event). */
  inspect(label: string, source: string, operationName: string | undefined, result: GraphQLResult): void {
    for (const error of result.errors ?? []) this.errorsSeen.push({ operation: label, error });
    if (result.data) {
      this.checkedResponses += 1;
      expect(valueProblems(this.schema, source, operationName, result.data), `${label}: values`).toEqual([]);
    }
  }

  recordError(label: string, error: unknown): void {
    this.errorsSeen.push({ operation: label, error });
  }

  /** A graphql-ws client on the gateway's /graphql, authenticated as clients do it. */
  ws(token: string): Client {
    return createWsClient({
      url: this.url.replace(/^http/, "ws"),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
  }

  /** A graphql-ws client without credentials. */
  wsAnonymous(): Client {
    return createWsClient({ url: this.url.replace(/^http/, "ws"), webSocketImpl: WebSocket, retryAttempts: 0 });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

/** The data of a result that must have no errors. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function ok(result: GraphQLResult, what = "the operation"): any {
  expect(result.errors, `${what} answered errors`).toBeUndefined();
  expect(result.data, `${what} answered no data`).toBeTruthy();
  return result.data;
}

export function codeOf(result: GraphQLResult): unknown {
  return result.errors?.[0]?.extensions?.code;
}

export function codesOf(result: GraphQLResult): unknown[] {
  return (result.errors ?? []).map((error: GraphQLFormattedError) => error.extensions?.code);
}

export function uniqueEmail(label: string): string {
  return `contract-${label}-${randomUUID().slice(0, 8)}@example.test`;
}

export function unknownId(): string {
  return randomUUID();
}
