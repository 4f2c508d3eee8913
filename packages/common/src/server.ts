// Runs one subgraph: Apollo Server on express at /graphql, /health and /ready, extra routes a subgraph
// needs (webhooks), and a clean shutdown. Every subgraph's main.ts and the test harness go through here:
// `launchSubgraph` (deps built from a config, then `createXSubgraph(deps)`, then served), or `startSubgraph`
// for a definition made without deps.
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import express, { type Express } from "express";
import type { GraphQLSchema } from "graphql";
import type { z } from "zod";
import type { PrismaClient } from "@watchflixx/db";
import type { SubgraphContext } from "./context.ts";
import { maskInternalErrors } from "./errors.ts";
import { callerOfRequest, jsonKeepingRawBody, keepRawBody, rawBodyOf } from "./signed-request.ts";
import type { Logger } from "./logger.ts";
import type { ServiceName } from "./services.ts";
import { DEFAULT_SUBGRAPH_HOST, defineSubgraphConfig, type BaseConfig, type SubgraphConfig } from "./config.ts";
import { buildSubgraphDeps, type GivenDeps, type SubgraphDeps } from "./deps.ts";
import { mountSubscriptionAuthorization, serveSubscriptions } from "./subscriptions.ts";
import type { Bus, SubscriptionPubSub } from "./bus.ts";
import { StartupError } from "./database.ts";
import { startServiceEvents, type ServiceEventsOptions } from "./events/runtime.ts";
import { operationLimitsOf } from "./operation-limits.ts";
import { jsonErrorHandler, operationLimitRefusal, refusingMiddleware, requestGuardPlugin, type RequestGuardOptions } from "./request-guards.ts";
import { answerWithApollo, failedRequest, isPlainJsonPost, readJsonBody, sendAnswer } from "./graphql-post.ts";
import { databaseCheck, readinessHandler } from "./readiness.ts";
import { gracefulDrainPlugin } from "./drain.ts";
import { uncachedResponsePlugins } from "./cache-headers.ts";

/** The largest GraphQL request body a subgraph reads. */
const GRAPHQL_BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * What the `configureApp`/`onStart` hooks get: the deps, with `pubSub` opened when the definition serves
 * subscriptions. A converted subgraph takes what it needs from `createXSubgraph(deps)` instead.
 */
export interface SubgraphDependencies extends SubgraphDeps {
  /** Present when the definition asks for `subscriptions`. */
  pubSub?: SubscriptionPubSub;
}

/** Everything that makes one subgraph, exported by `subgraphs/<name>/src/index.ts`. */
export interface SubgraphDefinition<Loaders = unknown> {
  name: ServiceName;
  schema: GraphQLSchema;
  sdl: string;
  /** Fresh DataLoaders for one request (or one subscription event). */
  createLoaders(db: PrismaClient): Loaders;
  /**
   * Extra HTTP routes, mounted before /graphql (e.g. the payment subgraph's Stripe webhook). A middleware that
   * parses /graphql's JSON itself must use `jsonKeepingRawBody`: the gateway's signature covers the raw body.
   */
  configureApp?(app: Express, deps: SubgraphDependencies): void;
  /**
   * Sees every POST /graphql once its body is read, whichever way it came in (graphql-post.ts), before any check:
   * how tests and the benchmark count and record what the gateway sends.
   */
  onGraphQLRequest?(request: GraphQLRequestSeen): void;
  /**
   * Serves GraphQL subscriptions (graphql-ws on /graphql, Redis pub/sub in `context.pubSub`) and the
   * gateway's subscription authorization endpoint.
   */
  subscriptions?: boolean;
  /** Background work and servers that share the HTTP server (event consumers, ...). */
  onStart?(httpServer: http.Server, deps: SubgraphDependencies): Promise<() => Promise<void>>;
}

/** A POST /graphql as `onGraphQLRequest` sees it: the exact bytes (which the signature covers) and their JSON. */
export interface GraphQLRequestSeen {
  headers: http.IncomingHttpHeaders;
  rawBody: Buffer | undefined;
  body: unknown;
}

export interface RunningSubgraph {
  name: ServiceName;
  url: string;
  port: number;
  httpServer: http.Server;
  stop(): Promise<void>;
}

/** How to serve: where, and the background duties only a real deployment (and some tests) turns on. */
export interface ServeOptions {
  port: number;
  /** Default: 127.0.0.1 (DEFAULT_SUBGRAPH_HOST); `runSubgraph` passes SUBGRAPH_HOST. */
  host?: string;
  extraPlugins?: ApolloServerPlugin<SubgraphContext>[];
  /**
   * Heartbeat into service_status (schema hash, state, consumer progress). Off unless asked: runSubgraph
   * turns it on; a test harness may too.
   */
  heartbeat?: ServiceEventsOptions["heartbeat"];
  /** Relay the service's committed ServiceEvents to the Redis streams. Off unless asked: runSubgraph turns it on. */
  eventRelay?: ServiceEventsOptions["eventRelay"];
}

/** `startSubgraph`'s options: a config and what to hand in, plus where to serve (deps are built from them). */
export interface StartOptions extends ServeOptions {
  db: PrismaClient;
  config: BaseConfig;
  logger?: Logger;
  /** Default: Redis at config.REDIS_URL, owned (and closed) by this subgraph. */
  bus?: Bus;
}

/**
 * A subgraph as its index.ts exports it (`contentSubgraph`): its name, its config schema and how to build it from
 * deps. `launchSubgraph` (and so runSubgraph, the harnesses, embedded mode) starts one.
 */
export interface SubgraphModule<C extends SubgraphConfig = SubgraphConfig, L = unknown> {
  name: ServiceName;
  configSchema: z.ZodType<C, unknown>;
  create(deps: SubgraphDeps<C>): Promise<SubgraphDefinition<L>>;
}

/** A subgraph not yet converted (its `create` takes no deps), as a module over the base subgraph config. */
export function subgraphModuleWithoutDeps<L>(name: ServiceName, create: () => Promise<SubgraphDefinition<L>>): SubgraphModule<SubgraphConfig, L> {
  return { name, configSchema: defineSubgraphConfig(name), create: () => create() };
}

/** The same module with its definition changed by `change` (a test counting requests through `configureApp`). */
export function mapSubgraphDefinition<C extends SubgraphConfig, L>(
  module: SubgraphModule<C, L>,
  change: (definition: SubgraphDefinition<L>) => SubgraphDefinition<L>,
): SubgraphModule<C, L> {
  return { ...module, create: async (deps) => change(await module.create(deps)) };
}

export interface LaunchOptions<C extends SubgraphConfig> extends ServeOptions {
  config: C;
  given?: GivenDeps;
}

export interface LaunchedSubgraph<C extends BaseConfig = SubgraphConfig, L = unknown> extends RunningSubgraph {
  definition: SubgraphDefinition<L>;
  deps: SubgraphDeps<C>;
}

/** The composition root in one call: build deps from the config, create the subgraph from them, serve it. */
export function launchSubgraph<C extends SubgraphConfig, L>(module: SubgraphModule<C, L>, options: LaunchOptions<C>): Promise<LaunchedSubgraph<C, L>> {
  return buildAndServe(module.name, options.config, options.given, module.create, options);
}

/** A definition made without deps (a subgraph not yet converted, a test fixture): deps are built from `options`. */
export function startSubgraph<L>(definition: SubgraphDefinition<L>, options: StartOptions): Promise<RunningSubgraph> {
  const given = { db: options.db, bus: options.bus, logger: options.logger };
  return buildAndServe(definition.name, options.config, given, async () => definition, options);
}

async function buildAndServe<C extends BaseConfig, L>(
  name: ServiceName,
  config: C,
  given: GivenDeps | undefined,
  create: (deps: SubgraphDeps<C>) => Promise<SubgraphDefinition<L>>,
  options: ServeOptions,
): Promise<LaunchedSubgraph<C, L>> {
  const { deps, close } = await buildSubgraphDeps(name, config, given);
  try {
    const definition = await create(deps);
    const running = await serveSubgraph(definition, deps, options);
    return {
      ...running,
      definition,
      deps,
      async stop() {
        await running.stop();
        await close();
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Serves a subgraph built from `deps`; stopping it leaves the deps open (their builder closes them). */
export async function serveSubgraph<L>(definition: SubgraphDefinition<L>, built: SubgraphDeps, options: ServeOptions): Promise<RunningSubgraph> {
  const { db, config, logger, bus, rateLimits } = built;
  const pubSub = definition.subscriptions ? built.subscriptionPubSub() : undefined;
  const deps: SubgraphDependencies = { ...built, pubSub };
  const app = express();
  app.disable("x-powered-by");
  // The gateway's POSTs take the plain-Node path (graphql-post.ts); every other request goes to express.
  const httpServer = http.createServer((req, res) => {
    if (isPlainJsonPost(req, "/graphql", GRAPHQL_BODY_LIMIT_BYTES)) servePlainPost(req, res).catch(failedRequest(logger, res));
    else app(req, res);
  });
  // Subgraphs can be reached on their own ports: the gateway's operation limits and text checks apply here too.
  const guard: RequestGuardOptions = { limits: operationLimitsOf(config), maxStringLength: config.INPUT_MAX_STRING_LENGTH };
  const refuseOverLimits = operationLimitRefusal(() => definition.schema, guard);

  const apollo = new ApolloServer<SubgraphContext<L>>({
    schema: definition.schema,
    formatError: maskInternalErrors((message, error) => logger.error(message, error)),
    includeStacktraceInErrorResponses: false,
    // runSubgraph owns SIGTERM/SIGINT: Apollo's own handler would stop only Apollo and then re-raise the
    // signal, killing the process before consumers, relay and heartbeat have shut down.
    stopOnTerminationSignals: false,
    plugins: [
      // Stops accepting, finishes in-flight requests, lets keep-alive connections end without a race (drain.ts).
      gracefulDrainPlugin(httpServer),
      // Federated traces are for Apollo Studio, which we do not report to.
      ApolloServerPluginInlineTraceDisabled(),
      // `cache-control: no-store` without the default plugin's per-field hooks (cache-headers.ts).
      ...uncachedResponsePlugins<SubgraphContext<L>>(),
      requestGuardPlugin(guard),
      ...((options.extraPlugins ?? []) as ApolloServerPlugin<SubgraphContext<L>>[])],
  });
  await apollo.start();

  app.get("/health", (_req, res) => {
    res.json({ status: "ok", service: definition.name });
  });
  // Every subgraph needs PostgreSQL and its bus (Redis: pub/sub, the event relay and wake-ups): 503 naming either when down.
  const busReadiness = bus.readinessChecks();
  app.get("/ready", readinessHandler(definition.name, () => [databaseCheck(db), ...busReadiness.checks], logger));
  definition.configureApp?.(app, deps);
  const serving = pubSub
    ? { schema: definition.schema, db, secret: config.GATEWAY_SHARED_SECRET, pubSub, createLoaders: definition.createLoaders, logger, guard, rateLimits }
    : undefined;
  if (serving) mountSubscriptionAuthorization(app, serving);
  const contextOf = async (req: http.IncomingMessage): Promise<SubgraphContext<L>> => ({
    db,
    ...callerOfRequest(req, config.GATEWAY_SHARED_SECRET),
    rateLimits,
    loaders: definition.createLoaders(db),
    requestId: (req.headers["x-request-id"] as string | undefined) ?? randomUUID(),
    ...(pubSub ? { pubSub } : {}),
  });
  const servePlainPost = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const body = await readJsonBody(req);
    definition.onGraphQLRequest?.({ headers: req.headers, rawBody: "raw" in body ? body.raw : undefined, body: "json" in body ? body.json : undefined });
    if ("refused" in body) return sendAnswer(res, body.refused);
    const refusal = refuseOverLimits(body.json);
    if (refusal) return sendAnswer(res, refusal);
    keepRawBody(req, body.raw);
    await answerWithApollo(apollo, req, res, body.json, () => contextOf(req));
  };
  app.use(
    "/graphql",
    jsonKeepingRawBody(GRAPHQL_BODY_LIMIT_BYTES),
    (req, _res, next) => {
      if (req.method === "POST") definition.onGraphQLRequest?.({ headers: req.headers, rawBody: rawBodyOf(req), body: req.body });
      next();
    },
    refusingMiddleware(refuseOverLimits),
    (req, res, next) => {
      answerWithApollo(apollo, req, res, req.body, () => contextOf(req)).catch(next);
    },
  );
  app.use(jsonErrorHandler(logger));

  const stopSubscriptions = serving ? serveSubscriptions(httpServer, serving) : async () => undefined;
  const stopExtras = (await definition.onStart?.(httpServer, deps)) ?? (async () => undefined);
  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new StartupError(`${definition.name.toUpperCase()}_PORT: port ${options.port} is already in use`)
          : error,
      ),
    );
    httpServer.listen(options.port, options.host ?? DEFAULT_SUBGRAPH_HOST, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const stopServiceEvents = startServiceEvents(
    { service: definition.name, sdl: definition.sdl, db, redisUrl: bus.eventRedisUrl, logger },
    { heartbeat: options.heartbeat, eventRelay: options.eventRelay },
  );
  logger.info(`listening on http://127.0.0.1:${port}/graphql`);

  return {
    name: definition.name,
    port,
    url: `http://127.0.0.1:${port}/graphql`,
    httpServer,
    async stop() {
      await stopServiceEvents();
      await stopExtras();
      await stopSubscriptions();
      await apollo.stop();
      await busReadiness.close();
    },
  };
}
