// Runs one subgraph: Apollo Server on express at /graphql, /health and /ready, extra routes a subgraph
// needs (webhooks), and a clean shutdown. Every subgraph's main.ts and the test harness go through here.
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import express, { type Express } from "express";
import type { GraphQLSchema } from "graphql";
import type { PrismaClient } from "@watchflixx/db";
import type { SubgraphContext } from "./context.ts";
import { maskInternalErrors } from "./errors.ts";
import { RateLimits } from "./rate-limits.ts";
import { callerOfRequest, jsonKeepingRawBody } from "./signed-request.ts";
import { createLogger, type Logger } from "./logger.ts";
import type { ServiceName } from "./services.ts";
import { DEFAULT_SUBGRAPH_HOST, type BaseConfig } from "./config.ts";
import { mountSubscriptionAuthorization, serveSubscriptions } from "./subscriptions.ts";
import { redisBus, type Bus, type SubscriptionPubSub } from "./bus.ts";
import { StartupError } from "./database.ts";
import { startServiceEvents, type ServiceEventsOptions } from "./events/runtime.ts";
import { operationLimitsOf } from "./operation-limits.ts";
import { jsonErrorHandler, operationLimitsMiddleware, requestGuardPlugin, type RequestGuardOptions } from "./request-guards.ts";
import { databaseCheck, readinessHandler } from "./readiness.ts";
import { gracefulDrainPlugin } from "./drain.ts";
import { uncachedResponsePlugins } from "./cache-headers.ts";

/** What a subgraph gets to build its extras (routes, consumers, pub/sub) with. */
export interface SubgraphDependencies {
  db: PrismaClient;
  config: BaseConfig;
  logger: Logger;
  /** Present when the definition asks for `subscriptions`. */
  pubSub?: SubscriptionPubSub;
  rateLimits: RateLimits;
  /** Redis, or in memory when every service runs in this process (bus.ts). */
  bus: Bus;
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
   * Serves GraphQL subscriptions (graphql-ws on /graphql, Redis pub/sub in `context.pubSub`) and the
   * gateway's subscription authorization endpoint.
   */
  subscriptions?: boolean;
  /** Background work and servers that share the HTTP server (event consumers, ...). */
  onStart?(httpServer: http.Server, deps: SubgraphDependencies): Promise<() => Promise<void>>;
}

export interface RunningSubgraph {
  name: ServiceName;
  url: string;
  port: number;
  httpServer: http.Server;
  stop(): Promise<void>;
}

export interface StartOptions {
  db: PrismaClient;
  config: BaseConfig;
  port: number;
  /** Default: 127.0.0.1 (DEFAULT_SUBGRAPH_HOST); `runSubgraph` passes SUBGRAPH_HOST. */
  host?: string;
  logger?: Logger;
  extraPlugins?: ApolloServerPlugin<SubgraphContext>[];
  /**
   * Heartbeat into service_status (schema hash, state, consumer progress). Off unless asked: runSubgraph
   * turns it on; a test harness may too.
   */
  heartbeat?: ServiceEventsOptions["heartbeat"];
  /** Relay the service's committed ServiceEvents to the Redis streams. Off unless asked: runSubgraph turns it on. */
  eventRelay?: ServiceEventsOptions["eventRelay"];
  /** Default: Redis at config.REDIS_URL, owned (and closed) by this subgraph. */
  bus?: Bus;
}

export async function startSubgraph<L>(definition: SubgraphDefinition<L>, options: StartOptions): Promise<RunningSubgraph> {
  const { db, config } = options;
  const logger = options.logger ?? createLogger(definition.name, config.LOG_LEVEL);
  const bus = options.bus ?? redisBus(config.REDIS_URL, logger);
  const pubSub = definition.subscriptions ? bus.createPubSub() : undefined;
  const { rateLimits, closeRateLimits } = await startRateLimits(db, bus, config, logger, definition.name);
  const deps: SubgraphDependencies = { db, config, logger, pubSub, rateLimits, bus };
  const app = express();
  app.disable("x-powered-by");
  const httpServer = http.createServer(app);
  // Subgraphs can be reached on their own ports: the gateway's operation limits and text checks apply here too.
  const guard: RequestGuardOptions = { limits: operationLimitsOf(config), maxStringLength: config.INPUT_MAX_STRING_LENGTH };

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
  app.use(
    "/graphql",
    jsonKeepingRawBody("1mb"),
    operationLimitsMiddleware(() => definition.schema, guard),
    expressMiddleware(apollo, {
      context: async ({ req }) => ({
        db,
        ...callerOfRequest(req, config.GATEWAY_SHARED_SECRET),
        rateLimits,
        loaders: definition.createLoaders(db),
        requestId: (req.headers["x-request-id"] as string | undefined) ?? randomUUID(),
        ...(pubSub ? { pubSub } : {}),
      }),
    }),
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
      await pubSub?.close();
      await closeRateLimits();
      await busReadiness.close();
      if (!options.bus) await bus.close();
    },
  };
}

/**
 * The subgraph's rate limits, counted on its bus (Redis) under the name of the database it serves (one
 * environment, or one test database): every instance of the service shares the counts, other environments never do.
 */
async function startRateLimits(db: PrismaClient, bus: Bus, config: BaseConfig, logger: Logger, service: ServiceName) {
  // The database the client really serves (a test harness hands one that DATABASE_URL does not name); a database
  // that does not answer must not hold the start-up (then /ready says so): DATABASE_URL's name stands in.
  const configured = decodeURIComponent(new URL(config.DATABASE_URL).pathname.slice(1));
  const database = await Promise.race([
    db.$queryRaw<{ database: string }[]>`SELECT current_database() AS database`.then((rows) => rows[0]?.database ?? configured),
    new Promise<string>((resolve) => setTimeout(() => resolve(configured), 2_000).unref()),
  ]).catch(() => configured);
  const { rateLimits, close } = await bus.startRateLimits({
    name: `${service}-rate-limits`,
    scope: database,
    overrides: config.RATE_LIMITS,
    logger,
    whileDown: "rate limits are counted per instance until it returns",
  });
  return { rateLimits, closeRateLimits: close };
}
