// The gateway: @apollo/gateway behind Apollo Server on express, one http.Server for HTTP and the WebSocket
// subscriptions at the same path. Routes: /graphql, /health (the process is up) and /ready (a supergraph is
// loaded and served). `createGateway` reads as its steps; each lives in gateway/.
import http from "node:http";
import type { ApolloGateway } from "@apollo/gateway";
import type { ApolloServer } from "@apollo/server";
import express from "express";
import { createLogger, operationLimitsOf, StartupError, type Bus, type DependencyCheck, type Logger } from "@watchflixx/common";
import type { GatewayContext } from "./auth.ts";
import type { GatewayConfig } from "./config.ts";
import { createSupergraphLoader, firstLine, isAbortable, type SupergraphLoader, type SupergraphSource } from "./supergraph.ts";
import type { SubscriptionEngine } from "./subscriptions/index.ts";
import type { EntityCache } from "./cache/index.ts";
import { federatedGateway, gatewayApolloServer } from "./gateway/apollo.ts";
import { closeDependencies, startDependencies, type GatewayDependencies } from "./gateway/dependencies.ts";
import { graphqlHandler, listen, mountRoutes } from "./gateway/http.ts";
import { attachSubscriptions, type AttachSubscriptions } from "./gateway/subscriptions.ts";

export { gatewayErrorFormatter } from "./gateway/apollo.ts";
export type { AttachSubscriptions, SubscriptionHookContext } from "./gateway/subscriptions.ts";

export const GRAPHQL_PATH = "/graphql";

export interface GatewayOptions {
  config: GatewayConfig;
  /** Default: from the config (SUPERGRAPH_MODE with SUPERGRAPH_PATH, or the `<SERVICE>_URL`s). */
  supergraph?: SupergraphSource;
  /** Default: config.GATEWAY_PORT (0 picks a free port). */
  port?: number;
  /** Default: config.GATEWAY_HOST. */
  host?: string;
  logger?: Logger;
  /** Default: federated subscriptions over graphql-ws (subscriptions/); `false` serves none. */
  attachSubscriptions?: AttachSubscriptions | false;
  /** Whose rate-limit counts these are (rate-limit.ts). Default: DATABASE_URL's database name (a fresh one under NODE_ENV=test). */
  rateLimitScope?: string;
  /** Default: Redis at config.REDIS_URL, owned by the gateway; embedded mode passes its in-process bus. */
  bus?: Bus;
  /** Redis namespace of the event streams the entity cache reads. Default: this process's (REDIS_NAMESPACE). */
  eventNamespace?: string;
}

export interface RunningGateway {
  /** The entity cache (ENTITY_CACHE=on): its `stats()` are hit/miss totals. */
  entityCache: EntityCache | undefined;
  /** The subscription engine, when the default one is attached (its stats are what tests and operators read). */
  subscriptions: SubscriptionEngine | undefined;
  /** http://127.0.0.1:<port>/graphql */
  url: string;
  port: number;
  httpServer: http.Server;
  gateway: ApolloGateway;
  /** The supergraph SDL being served. */
  supergraphSdl(): string;
  /** Calls `listener` after each new supergraph is loaded (file reloads, introspection polls). */
  onSupergraphUpdate(listener: (supergraphSdl: string) => void): () => void;
  /** File mode: reads the supergraph file now (it is also watched); true when a new supergraph was loaded. */
  reloadSupergraph(): Promise<boolean>;
  stop(): Promise<void>;
}

/** The source the configuration asks for. */
export function supergraphSourceFromConfig(config: GatewayConfig): SupergraphSource {
  if (config.SUPERGRAPH_MODE === "static") return { path: config.SUPERGRAPH_PATH, watch: true };
  return {
    subgraphs: Object.entries(config.subgraphUrls).map(([name, url]) => ({ name, url })),
    pollIntervalMs: config.SUPERGRAPH_POLL_INTERVAL_MS,
  };
}

/** The supergraph being served, and who wants to hear of the next one (the entity cache first). */
function followSupergraph(gateway: ApolloGateway, dependencies: GatewayDependencies) {
  let sdl = "";
  const listeners = new Set<(sdl: string) => void>();
  gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
    sdl = coreSupergraphSdl;
    dependencies.entityCache.useSupergraph(apiSchema, coreSupergraphSdl);
    for (const listener of listeners) listener(coreSupergraphSdl);
  });
  const loaded: DependencyCheck = {
    name: "supergraph",
    problem: "not loaded",
    check: async () => {
      if (!sdl) throw new Error("not loaded yet");
    },
  };
  return {
    sdl: () => sdl,
    /** For /ready: a supergraph is loaded. */
    loaded,
    onUpdate(listener: (sdl: string) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** What is running, stopped in order: no new supergraph, no new sockets, HTTP drained, then what they used. */
interface Running {
  loader: SupergraphLoader;
  stopSubscriptions(): Promise<void>;
  /** Apollo Server once started (it closes the HTTP server), the bare HTTP server while listening, else nothing. */
  stopHttp(): Promise<void>;
  dependencies: GatewayDependencies;
}

async function stopInOrder({ loader, stopSubscriptions, stopHttp, dependencies }: Running): Promise<void> {
  if (isAbortable(loader)) loader.abort();
  await stopSubscriptions();
  await stopHttp();
  await closeDependencies(dependencies);
}

function closeServer(httpServer: http.Server): Promise<void> {
  return new Promise<void>((resolve) => httpServer.close(() => resolve()));
}

/** Listens and loads the supergraph (Apollo Server's start); on failure stops what runs, and says why in one line. */
async function startServing(apollo: ApolloServer<GatewayContext>, httpServer: http.Server, options: GatewayOptions, running: Omit<Running, "stopHttp">, logger: Logger) {
  const { config } = options;
  let port: number;
  try {
    port = await listen(httpServer, options.port ?? config.GATEWAY_PORT, options.host ?? config.GATEWAY_HOST);
  } catch (error) {
    await stopInOrder({ ...running, stopHttp: async () => undefined });
    throw error;
  }
  logger.info(`listening on http://127.0.0.1:${port}${GRAPHQL_PATH}; loading the supergraph from ${running.loader.description}`);
  try {
    await apollo.start();
  } catch (error) {
    await stopInOrder({ ...running, stopHttp: () => closeServer(httpServer) });
    if (error instanceof StartupError) throw error;
    throw new StartupError(`cannot load the supergraph from ${running.loader.description}: ${firstLine(error)}`);
  }
  return port;
}

export async function createGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { config } = options;
  const logger = options.logger ?? createLogger("gateway", config.LOG_LEVEL);
  const path = GRAPHQL_PATH;
  const dependencies = await startDependencies(config, logger, { ...options, servesSubscriptions: options.attachSubscriptions !== false });
  const loader = createSupergraphLoader(options.supergraph ?? supergraphSourceFromConfig(config), logger);
  const gateway = federatedGateway(config, logger, loader, dependencies);
  const supergraph = followSupergraph(gateway, dependencies);

  const app = express();
  app.disable("x-powered-by");
  // Listening starts below, once `routes` exists.
  const httpServer = http.createServer((req, res) => {
    if (!routes.plainPost(req, res)) app(req, res);
  });
  const guard = { limits: operationLimitsOf(config), maxStringLength: config.INPUT_MAX_STRING_LENGTH };
  const apollo = gatewayApolloServer({ config, logger, gateway, httpServer, guard, dependencies });
  const routes = mountRoutes(app, {
    config,
    logger,
    path,
    gateway,
    guard,
    trustedDocuments: dependencies.trustedDocuments,
    // Ready once a supergraph is loaded, and while the bus (Redis) answers when subscriptions (which need it) are served.
    readinessChecks: () => [supergraph.loaded, ...(dependencies.busReadiness?.checks ?? [])],
  });
  const subscriptions = await attachSubscriptions(options.attachSubscriptions, { httpServer, gateway, config, logger, path }, dependencies);

  const running = { loader, stopSubscriptions: subscriptions.stop, dependencies };
  const port = await startServing(apollo, httpServer, options, running, logger);
  routes.serve(graphqlHandler(apollo, config, dependencies.rateLimits, dependencies.entityCache.answerFromCache()));
  logger.info("ready: the supergraph is loaded");

  let stopping: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    port,
    httpServer,
    gateway,
    subscriptions: subscriptions.engine,
    entityCache: dependencies.entityCache.cache,
    supergraphSdl: supergraph.sdl,
    onSupergraphUpdate: supergraph.onUpdate,
    reloadSupergraph: () => loader.reload(),
    stop() {
      stopping ??= stopInOrder({ ...running, stopHttp: () => apollo.stop() });
      return stopping;
    },
  };
}
