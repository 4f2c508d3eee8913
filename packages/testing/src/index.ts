// @watchflixx/testing: the harness every integration test uses. It starts the given subgraph definitions
// in-process on free ports, composes their SDLs into a supergraph (failing loudly on composition errors),
// starts the real gateway on it, and hands back a GraphQL client that talks to the gateway over HTTP.
import { composeServices } from "@apollo/composition";
import { GraphQLError, parse, print, type DocumentNode, type GraphQLFormattedError } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import {
  launchSubgraph,
  signIdentityHeaders,
  startSubgraph,
  type Identity,
  type RunningSubgraph,
  type SubgraphDefinition,
  type SubgraphModule,
} from "@watchflixx/common";
import type { PrismaClient } from "@watchflixx/db";
import { Redis } from "ioredis";
import { testSubgraphConfig } from "./subgraph.ts";
import {
  createGateway,
  parseGatewayConfig,
  type AttachSubscriptions,
  type GatewayConfig,
  type RunningGateway,
} from "@watchflixx/router";

// ---------------------------------------------------------------------------------------------------------------
// Composition

export interface SubgraphSdl {
  name: string;
  /** Where the gateway reaches the subgraph (http://host:port/graphql). */
  url: string;
  /** The subgraph's SDL with its federation directives (`SubgraphDefinition.sdl`). */
  sdl: string;
}

/** Composition failed: `errors` are composition's own, `message` lists them all. */
export class CompositionError extends Error {
  constructor(readonly errors: readonly GraphQLError[]) {
    super(`Supergraph composition failed with ${errors.length} error(s):\n${errors.map((e) => `  - ${e.message}`).join("\n")}`);
    this.name = "CompositionError";
  }
}

/** Composes subgraph SDLs into a supergraph SDL (federation 2, as the gateway serves it); throws CompositionError. */
export function composeSupergraph(subgraphs: readonly SubgraphSdl[]): string {
  const services = subgraphs.map(({ name, url, sdl }) => {
    try {
      return { name, url, typeDefs: parse(sdl) };
    } catch (error) {
      throw new CompositionError([
        new GraphQLError(`[${name}] the SDL does not parse: ${error instanceof Error ? error.message : String(error)}`),
      ]);
    }
  });
  const result = composeServices(services);
  if (result.errors) throw new CompositionError(result.errors);
  return result.supergraphSdl;
}

// ---------------------------------------------------------------------------------------------------------------
// A GraphQL client over fetch

export interface GraphQLResult<TData = any> {
  data?: TData | null;
  errors?: GraphQLFormattedError[];
  extensions?: Record<string, unknown>;
}

export interface RequestOptions {
  /** An access token, sent as `Authorization: Bearer <token>`. */
  token?: string;
  operationName?: string;
  headers?: Record<string, string>;
}

export interface GraphQLClient {
  url: string;
  /** POSTs the operation (JSON) and returns the response body; never throws on GraphQL errors. */
  request<TData = any, TVariables extends Record<string, unknown> = Record<string, unknown>>(
    query: string | DocumentNode | TypedDocumentNode<TData, TVariables>,
    variables?: TVariables,
    options?: RequestOptions,
  ): Promise<GraphQLResult<TData>>;
}

export function createClient(url: string): GraphQLClient {
  return {
    url,
    async request(query, variables, options = {}) {
      const response = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json",
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...options.headers,
        },
        body: JSON.stringify({
          query: typeof query === "string" ? query : print(query),
          ...(variables ? { variables } : {}),
          ...(options.operationName ? { operationName: options.operationName } : {}),
        }),
      });
      const text = await response.text();
      try {
        return JSON.parse(text) as GraphQLResult;
      } catch {
        throw new Error(`The gateway answered HTTP ${response.status} with a body that is not JSON: ${text.slice(0, 300)}`);
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The whole supergraph in one process

/** The configuration tests run with: NODE_ENV=test, LOG_LEVEL=warn, development secrets, plus `overrides`. */
export function testGatewayConfig(overrides: Partial<GatewayConfig> = {}): GatewayConfig {
  return { ...parseGatewayConfig({ NODE_ENV: "test", LOG_LEVEL: "warn" }), ...overrides };
}

/** A subgraph module (`contentSubgraph`), or a definition made without deps (subgraphs not yet converted, fixtures). */
export type SubgraphEntry = SubgraphModule<any, any> | SubgraphDefinition<any>;

export interface StartSupergraphOptions {
  db: PrismaClient;
  /** Merged over `testGatewayConfig()`; the subgraphs get the same values (secrets must match). */
  config?: Partial<GatewayConfig>;
  /**
   * Each a subgraph module (`contentSubgraph`: started as main.ts starts it, deps built from its own config schema
   * over the test config) or a definition made without deps (subgraphs not yet converted, fixtures).
   */
  subgraphs: SubgraphEntry[];
  /** The gateway's subscription server, when a test needs subscriptions through the gateway. */
  attachSubscriptions?: AttachSubscriptions;
  /** Also start this many more gateways on the same subgraphs (and the same rate-limit counts): `gateways`. */
  extraGateways?: number;
}

export interface RunningSupergraph {
  /** The gateway's /graphql URL. */
  url: string;
  gateway: RunningGateway;
  /** `gateway` first, then the `extraGateways`. */
  gateways: RunningGateway[];
  subgraphs: Record<string, RunningSubgraph>;
  /** Each subgraph's definition by name (its schema and SDL), however it was given. */
  definitions: Record<string, SubgraphDefinition<any>>;
  client: GraphQLClient;
  /** The same as `client.request`. */
  gql: GraphQLClient["request"];
  /** The composed supergraph SDL the gateway serves. */
  supergraphSdl: string;
  config: GatewayConfig;
  /** Stops the gateway, then the subgraphs (the database is the caller's to drop). */
  stop(): Promise<void>;
}

export async function startSupergraph(options: StartSupergraphOptions): Promise<RunningSupergraph> {
  const config = testGatewayConfig(options.config);
  const names = options.subgraphs.map((subgraph) => subgraph.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate) throw new Error(`startSupergraph: the subgraph "${duplicate}" is given twice`);
  if (names.length === 0) throw new Error("startSupergraph: give at least one subgraph definition");

  const subgraphs: Record<string, RunningSubgraph> = {};
  const definitions: Record<string, SubgraphDefinition<any>> = {};
  const stopSubgraphs = () => Promise.all(Object.values(subgraphs).map((subgraph) => subgraph.stop()));
  const gateways: RunningGateway[] = [];
  const stopGateways = () => Promise.all(gateways.map((gateway) => gateway.stop()));
  let supergraphSdl: string;
  // Rate limits are counted per database, as the subgraphs count theirs: test files never share counts.
  const [{ database } = { database: "" }] = await options.db.$queryRaw<{ database: string }[]>`SELECT current_database() AS database`;
  // With the entity cache on, the services relay their events (which drop cached entries) to streams of this
  // test's own namespace: event ids of different test databases would collide in a shared one.
  const eventNamespace = `test-${database}`;
  const eventRelay = config.ENTITY_CACHE === "on" ? { namespace: eventNamespace } : undefined;
  try {
    for (const subgraph of options.subgraphs) {
      const serve = { port: 0, host: "127.0.0.1", eventRelay };
      if (isSubgraphModule(subgraph)) {
        const launched = await launchSubgraph(subgraph, { ...serve, config: testSubgraphConfig(subgraph, config), given: { db: options.db } });
        subgraphs[subgraph.name] = launched;
        definitions[subgraph.name] = launched.definition;
      } else {
        subgraphs[subgraph.name] = await startSubgraph(subgraph, { ...serve, db: options.db, config });
        definitions[subgraph.name] = subgraph;
      }
    }
    supergraphSdl = composeSupergraph(names.map((name) => ({ name, url: subgraphs[name]?.url ?? "", sdl: definitions[name]?.sdl ?? "" })));
    for (let index = 0; index <= (options.extraGateways ?? 0); index += 1) {
      gateways.push(
        await createGateway({
          config,
          supergraph: { sdl: supergraphSdl },
          port: 0,
          host: "127.0.0.1",
          rateLimitScope: database,
          eventNamespace,
          ...(options.attachSubscriptions ? { attachSubscriptions: options.attachSubscriptions } : {}),
        }),
      );
    }
  } catch (error) {
    await stopGateways();
    await stopSubgraphs();
    throw error;
  }
  const [gateway] = gateways as [RunningGateway];

  const client = createClient(gateway.url);
  return {
    url: gateway.url,
    gateway,
    gateways,
    subgraphs,
    definitions,
    client,
    gql: client.request,
    supergraphSdl,
    config,
    async stop() {
      // The test is over, so no request can race an idle keep-alive connection: close those at once rather than
      // let the graceful drain wait for their keep-alive timeout (packages/common/src/drain.ts).
      for (const server of [...gateways.map((running) => running.httpServer), ...Object.values(subgraphs).map((subgraph) => subgraph.httpServer)]) server.closeIdleConnections();
      await stopGateways();
      await stopSubgraphs();
      if (eventRelay) await dropNamespace(config.REDIS_URL, eventNamespace);
    },
  };
}

export function isSubgraphModule(subgraph: SubgraphEntry | (() => Promise<SubgraphDefinition<any>>)): subgraph is SubgraphModule<any, any> {
  return typeof subgraph === "object" && "create" in subgraph && "configSchema" in subgraph;
}

/** Removes a test namespace's streams and relay marks from the shared Redis. */
async function dropNamespace(redisUrl: string, namespace: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${namespace}:*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== "0");
  } catch {
    // Redis away (a test that stopped it): nothing to clean that it could keep.
  } finally {
    redis.disconnect();
  }
}
export * from "./contract.ts";
export * from "./kit.ts";
export * from "./profile-access.ts";
export * from "./statements.ts";
export * from "./subgraph.ts";

// ---------------------------------------------------------------------------------------------------------------
// Straight to one subgraph, as the gateway would call it

/**
 * POSTs an operation straight to a subgraph's /graphql with `identity` in the gateway's signed headers (signed
 * over this body, as the gateway signs; anonymous when null) and returns the response body. `R` is the caller's
 * view of that body.
 */
export async function postToSubgraph<R = GraphQLResult>(
  url: string,
  gatewaySecret: string,
  query: string,
  variables: Record<string, unknown> = {},
  identity: Identity | null = null,
  clientAddress: string | null = null,
): Promise<R> {
  const body = JSON.stringify({ query, variables });
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...signIdentityHeaders(identity, gatewaySecret, { body, clientAddress }) },
    body,
  });
  return (await response.json()) as R;
}
