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
import { readIdentityHeaders } from "./identity.ts";
import { createLogger, type Logger } from "./logger.ts";
import type { ServiceName } from "./services.ts";
import type { BaseConfig } from "./config.ts";
import type { RedisPubSub } from "graphql-redis-subscriptions";
import { createPubSub, mountSubscriptionAuthorization, serveSubscriptions } from "./subscriptions.ts";
import { StartupError } from "./database.ts";
import { startServiceEvents, type ServiceEventsOptions } from "./events/runtime.ts";
import { gracefulDrainPlugin } from "./drain.ts";

/** What a subgraph gets to build its extras (routes, consumers, pub/sub) with. */
export interface SubgraphDependencies {
  db: PrismaClient;
  config: BaseConfig;
  logger: Logger;
  /** Present when the definition asks for `subscriptions`. */
  pubSub?: RedisPubSub;
}

/** Everything that makes one subgraph, exported by `subgraphs/<name>/src/index.ts`. */
export interface SubgraphDefinition<Loaders = unknown> {
  name: ServiceName;
  schema: GraphQLSchema;
  sdl: string;
  /** Fresh DataLoaders for one request (or one subscription event). */
  createLoaders(db: PrismaClient): Loaders;
  /** Extra HTTP routes, mounted before /graphql (e.g. the payment subgraph's Stripe webhook). */
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
}

export async function startSubgraph<L>(definition: SubgraphDefinition<L>, options: StartOptions): Promise<RunningSubgraph> {
  const { db, config } = options;
  const logger = options.logger ?? createLogger(definition.name, config.LOG_LEVEL);
  const pubSub = definition.subscriptions ? createPubSub(config.REDIS_URL, logger) : undefined;
  const deps: SubgraphDependencies = { db, config, logger, pubSub };
  const app = express();
  app.disable("x-powered-by");
  const httpServer = http.createServer(app);

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
      ...((options.extraPlugins ?? []) as ApolloServerPlugin<SubgraphContext<L>>[])],
  });
  await apollo.start();

  app.get("/health", (_req, res) => {
    res.json({ status: "ok", service: definition.name });
  });
  app.get("/ready", async (_req, res) => {
    try {
      await db.$queryRaw`SELECT 1`;
      res.json({ status: "ready", service: definition.name });
    } catch {
      res.status(503).json({ status: "unavailable", service: definition.name, reason: "database" });
    }
  });
  definition.configureApp?.(app, deps);
  const serving = pubSub
    ? { schema: definition.schema, db, secret: config.GATEWAY_SHARED_SECRET, pubSub, createLoaders: definition.createLoaders, logger }
    : undefined;
  if (serving) mountSubscriptionAuthorization(app, serving);
  app.use(
    "/graphql",
    express.json({ limit: "1mb" }),
    expressMiddleware(apollo, {
      context: async ({ req }) => ({
        db,
        identity: readIdentityHeaders(req.headers, config.GATEWAY_SHARED_SECRET),
        loaders: definition.createLoaders(db),
        requestId: (req.headers["x-request-id"] as string | undefined) ?? randomUUID(),
        ...(pubSub ? { pubSub } : {}),
      }),
    }),
  );

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
    httpServer.listen(options.port, options.host ?? "0.0.0.0", () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const stopServiceEvents = startServiceEvents(
    { service: definition.name, sdl: definition.sdl, db, redisUrl: config.REDIS_URL, logger },
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
    },
  };
}
