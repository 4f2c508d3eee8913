// The gateway: @apollo/gateway behind Apollo Server on express, one http.Server for HTTP and (later) the
// WebSocket subscriptions at the same path. Routes: /graphql, /health (the process is up) and /ready (a
// supergraph is loaded and served).
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloGateway, RemoteGraphQLDataSource } from "@apollo/gateway";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginLandingPageLocalDefault } from "@apollo/server/plugin/landingPage/default";
import { expressMiddleware } from "@as-integrations/express5";
import cors from "cors";
import express, { type RequestHandler } from "express";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import {
  createLogger,
  gracefulDrainPlugin,
  jsonErrorHandler,
  type ServiceName,
  maskInternalErrors,
  operationLimitsMiddleware,
  operationLimitsOf,
  readinessHandler,
  redisBus,
  type DependencyCheck,
  requestGuardPlugin,
  StartupError,
  type Logger,
  type Bus,
} from "@watchflixx/common";
import { authenticate, authenticateSession, type AuthenticatedSession, type GatewayContext } from "./auth.ts";
import { clientAddressOf } from "./client-address.ts";
import { APOLLO_SANDBOX_ORIGIN, type GatewayConfig } from "./config.ts";
import { createSubgraphFetcher } from "./fetcher.ts";
import { startGatewayRateLimits, type GatewayRateLimits } from "./rate-limit.ts";
import { setCallerClaims, signingFetcher } from "./signing.ts";
import { retryQueriesOnConnectionLoss } from "./retry.ts";
import { createSupergraphLoader, isAbortable, type SupergraphSource } from "./supergraph.ts";
import { federatedSubscriptions, type SubscriptionEngine } from "./subscriptions/index.ts";
import { TrustedDocuments } from "./trusted-documents.ts";
import { GRAPHIQL_PATH, graphiqlRouter } from "./graphiql/index.ts";
import { CachePolicy, dataSourceFor, entityCachePlugin, startEntityCache, type EntityCache } from "./cache/index.ts";

export const GRAPHQL_PATH = "/graphql";

/** A client's own request id is kept (and forwarded) when it looks like one. */
const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** What a subscription server (graphql-ws on the same http.Server and path) gets to work with. */
export interface SubscriptionHookContext {
  httpServer: http.Server;
  gateway: ApolloGateway;
  config: GatewayConfig;
  logger: Logger;
  path: string;
  /** The HTTP client for one subgraph's requests (the gateway's own, pooled, with its timeout and size cap; signs the caller's claims set by willSendRequest). */
  fetcherFor(serviceName: string): RemoteGraphQLDataSource["fetcher"];
  /**
   * The same check as HTTP: a `Bearer <token>` value → the identity and when its token expires, null
   * (anonymous), or an UNAUTHENTICATED error.
   */
  authenticate(authorization: string | null | undefined): Promise<AuthenticatedSession | null>;
  /** The manifest's operations by hash, and whether only they may run (TRUSTED_DOCUMENTS). */
  trustedDocuments: TrustedDocuments;
  /** The client address of a request (TRUSTED_PROXY_HOPS applied). */
  clientAddressOf(req: http.IncomingMessage): string;
  /** The gateway's rate limits (rate-limit.ts): throws RATE_LIMITED when the caller is over one. */
  admit: GatewayRateLimits["admit"];
  /** Where revocations arrive (Redis, or in memory in embedded mode). */
  bus: Bus;
}

/** Attaches subscriptions to the gateway's server; returns what stops them (called before HTTP shuts down). */
export type AttachSubscriptions = (context: SubscriptionHookContext) => Promise<() => Promise<void>>;

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

/**
 * Error policy: errors with a contract code (NOT_FOUND, BAD_USER_INPUT, UNAUTHENTICATED, ...) reach the client
 * with their message and code, whichever subgraph raised them; everything else (a subgraph that is down, a
 * subgraph error without a code, a bug in the gateway) becomes `Internal server error` / INTERNAL_SERVER_ERROR
 * and is logged here. Subgraph names, URLs, response bodies and stack traces never leave the gateway.
 */
export function gatewayErrorFormatter(logger: Logger) {
  const mask = maskInternalErrors((message, error) => {
    const serviceName = error instanceof GraphQLError ? error.extensions.serviceName : undefined;
    if (typeof serviceName === "string" && error instanceof GraphQLError) {
      // The subgraph has logged its own internal error (with its stack); one line here is enough.
      const at = error.path ? ` at ${error.path.join(".")}` : "";
      logger.error(`${message} from the ${serviceName} subgraph${at}: ${error.message} (${String(error.extensions.code ?? "no code")})`);
    } else {
      logger.error(message, error);
    }
  });
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const result = mask(formatted, error);
    if (!result.extensions) return result;
    const { serviceName: _serviceName, response: _response, exception: _exception, stacktrace: _stacktrace, ...extensions } =
      result.extensions;
    return { ...result, extensions };
  };
}

function corsMiddleware(config: GatewayConfig): RequestHandler {
  const allowed = new Set([APOLLO_SANDBOX_ORIGIN, ...config.CORS_ORIGINS]);
  return cors({
    // Without an Origin header (server-to-server, TV apps, curl) CORS does not apply.
    origin: (origin, callback) => callback(null, origin === undefined || allowed.has(origin)),
    methods: ["GET", "POST", "OPTIONS"],
    allowedHeaders: [
      "content-type",
      "authorization",
      "apollo-require-preflight",
      "x-apollo-operation-name",
      "apollographql-client-name",
      "apollographql-client-version",
      "x-request-id",
    ],
    exposedHeaders: ["x-request-id"],
    maxAge: 600,
  });
}

function listen(httpServer: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? new StartupError(`GATEWAY_PORT: port ${port} is already in use`) : error);
    httpServer.once("error", onError);
    httpServer.listen(port, host, () => {
      httpServer.off("error", onError);
      resolve((httpServer.address() as AddressInfo).port);
    });
  });
}

export async function createGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { config } = options;
  const logger = options.logger ?? createLogger("gateway", config.LOG_LEVEL);
  const development = config.NODE_ENV !== "production";
  const subgraphFetcher = createSubgraphFetcher({
    timeoutMs: config.SUBGRAPH_TIMEOUT_MS,
    timeoutsMs: config.subgraphTimeoutsMs,
    maxResponseBytes: config.SUBGRAPH_MAX_RESPONSE_BYTES,
    logger,
  });
  const trustedDocuments = TrustedDocuments.load(config.TRUSTED_DOCUMENTS_MANIFEST, {
    enforce: config.TRUSTED_DOCUMENTS === "enforce",
    allowIntrospection: config.INTROSPECTION,
  });
  // Signed over the exact body (signing.ts); a query whose connection was lost with no response is sent once
  // more (retry.ts), a mutation never.
  const fetcherFor = (serviceName: string) =>
    retryQueriesOnConnectionLoss(signingFetcher(subgraphFetcher.fetcherFor(serviceName), config.GATEWAY_SHARED_SECRET));
  const bus = options.bus ?? redisBus(config.REDIS_URL, logger);
  const rateLimits = await startGatewayRateLimits(config, logger, options.rateLimitScope, bus);
  // Catalog answers kept per maturity limit, dropped by the services' events (cache/, README "Entity cache"). It
  // lives in Redis: with the in-process bus (embedded mode, one machine) there is none, and nothing to share.
  const entityCache = bus.kind === "redis" ? startEntityCache(config, logger, options.rateLimitScope, options.eventNamespace) : undefined;
  const loader = createSupergraphLoader(options.supergraph ?? supergraphSourceFromConfig(config), logger);

  const gateway = new ApolloGateway({
    supergraphSdl: loader,
    logger: {
      debug: (message?: unknown) => logger.debug(String(message)),
      info: (message?: unknown) => logger.debug(String(message)),
      warn: (message?: unknown) => logger.warn(String(message)),
      error: (message?: unknown) => logger.error(String(message)),
    },
    buildService: ({ name, url }) =>
      dataSourceFor(entityCache, name, {
        // An explicit <SERVICE>_URL wins over the URL the supergraph records (static mode behind a proxy, ...).
        url: config.subgraphUrlOverrides[name as ServiceName] ?? url,
        fetcher: fetcherFor(name),
        willSendRequest({ request, context }) {
          const headers = request.http?.headers;
          if (!headers) return;
          if (context.requestId) headers.set("x-request-id", context.requestId);
          setCallerClaims(headers, { identity: context.identity ?? null, clientAddress: context.clientAddress ?? null });
        },
      }),
  });

  let supergraphSdl = "";
  let cachePolicy: CachePolicy | undefined;
  const listeners = new Set<(sdl: string) => void>();
  gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
    supergraphSdl = coreSupergraphSdl;
    // The subgraphs' @cacheControl hints, as composed: a subgraph's change of hints needs no gateway change.
    cachePolicy = CachePolicy.fromSupergraph(coreSupergraphSdl);
    entityCache?.useSchema(apiSchema, cachePolicy);
    for (const listener of listeners) listener(coreSupergraphSdl);
  });

  const app = express();
  app.disable("x-powered-by");
  const httpServer = http.createServer(app);

  const guard = { limits: operationLimitsOf(config), maxStringLength: config.INPUT_MAX_STRING_LENGTH };
  const plugins: ApolloServerPlugin<GatewayContext>[] = [
    // Drains without closing a keep-alive connection under a client's request (packages/common/src/drain.ts).
    gracefulDrainPlugin(httpServer),
    development ? ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }) : ApolloServerPluginLandingPageDisabled(),
    // Text inputs checked before anything runs (the operation limits are the middleware's, before Apollo Server).
    requestGuardPlugin(guard),
    // Cache-Control from the cache hints; x-cache (hit/partial/miss/bypass) in development.
    entityCachePlugin(entityCache, { header: config.ENTITY_CACHE_HEADER ? config.ENTITY_CACHE_HEADER === "on" : development, policy: () => cachePolicy }),
  ];
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    nodeEnv: config.NODE_ENV,
    // Whoever runs the gateway (main.ts, embedded mode) owns SIGTERM/SIGINT and calls stop(). Apollo's own
    // handler would run a second apollo.stop() beside it: Apollo 5 never resolves the barrier the second call
    // waits on (only when stopping fails), so our stop() hangs, and Apollo then re-raises the signal, killing
    // the process before the rest (subgraphs, the database, embedded PGlite) has been stopped.
    stopOnTerminationSignals: false,
    introspection: config.INTROSPECTION,
    csrfPrevention: true,
    // Automatic persisted queries answered from the trusted documents (read-only when enforcing).
    persistedQueries: { cache: trustedDocuments.persistedQueryCache(), ttl: null },
    formatError: gatewayErrorFormatter(logger),
    includeStacktraceInErrorResponses: false,
    // Production: no "Did you mean ...?" suggestions that reveal field names when introspection is off.
    hideSchemaDetailsFromClientErrors: !development,
    maxRecursiveSelections: true,
    logger: {
      debug: (message?: unknown) => logger.debug(String(message)),
      info: (message?: unknown) => logger.debug(String(message)),
      warn: (message?: unknown) => logger.warn(String(message)),
      error: (message?: unknown) => logger.error(String(message)),
    },
    plugins,
  });

  // Development: GraphiQL served by the gateway itself (works offline), beside Apollo Sandbox on /graphql.
  if (development) app.use(GRAPHIQL_PATH, graphiqlRouter(GRAPHQL_PATH));
  app.get("/health", (_req, res) => {
    res.json({ status: "ok", service: "gateway" });
  });
  // Ready once a supergraph is loaded, and while the bus (Redis) answers when subscriptions (which need it) are served.
  const redis = options.attachSubscriptions === false ? undefined : bus.readinessChecks();
  const supergraphLoaded: DependencyCheck = {
    name: "supergraph",
    problem: "not loaded",
    check: async () => {
      if (!supergraphSdl) throw new Error("not loaded yet");
    },
  };
  app.get("/ready", readinessHandler("gateway", () => [supergraphLoaded, ...(redis?.checks ?? [])], logger));

  // Until Apollo Server has started (the supergraph is loaded), /graphql answers 503.
  const served: { graphql?: RequestHandler } = {};
  app.use(
    GRAPHQL_PATH,
    corsMiddleware(config),
    (req, res, next) => {
      const given = req.headers["x-request-id"];
      const requestId = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
      res.locals.requestId = requestId;
      res.setHeader("x-request-id", requestId);
      next();
    },
    express.json({ limit: "1mb" }),
    trustedDocuments.httpGuard(),
    // Operation limits before Apollo Server validates and the gateway plans.
    operationLimitsMiddleware(() => gateway.schema, guard),
    (req, res, next) => {
      // Apollo Server needs `req.body` even when no parser ran (a GET, or a text/plain POST that its CSRF
      // prevention is about to refuse).
      if (!Reflect.has(req, "body")) req.body = undefined;
      if (served.graphql) return served.graphql(req, res, next);
      res.status(503).json({ errors: [{ message: "The gateway is starting.", extensions: { code: "SERVICE_UNAVAILABLE" } }] });
    },
  );
  // A body that is not JSON, too large or badly compressed: a JSON GraphQL error, never express's HTML page.
  app.use(jsonErrorHandler(logger));

  let subscriptions: SubscriptionEngine | undefined;
  const attachSubscriptions =
    options.attachSubscriptions === undefined ? federatedSubscriptions((engine) => (subscriptions = engine)) : options.attachSubscriptions || undefined;
  const stopSubscriptions =
    (await attachSubscriptions?.({
      httpServer,
      gateway,
      config,
      logger,
      path: GRAPHQL_PATH,
      fetcherFor,
      authenticate: (authorization) => authenticateSession(authorization, config.JWT_ACCESS_SECRET),
      trustedDocuments,
      clientAddressOf: (req) => clientAddressOf(req, config.TRUSTED_PROXY_HOPS),
      admit: rateLimits.admit,
      bus,
    })) ?? (async () => undefined);

  const host = options.host ?? config.GATEWAY_HOST;
  let port: number;
  try {
    port = await listen(httpServer, options.port ?? config.GATEWAY_PORT, host);
  } catch (error) {
    await stopSubscriptions();
    await subgraphFetcher.close();
    await rateLimits.close();
    await entityCache?.stop();
    throw error;
  }
  const url = `http://127.0.0.1:${port}${GRAPHQL_PATH}`;
  logger.info(`listening on ${url}; loading the supergraph from ${loader.description}`);
  try {
    await apollo.start();
  } catch (error) {
    if (isAbortable(loader)) loader.abort();
    await stopSubscriptions();
    await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    await subgraphFetcher.close();
    await rateLimits.close();
    await redis?.close();
    await entityCache?.stop();
    if (!options.bus) await bus.close();
    if (error instanceof StartupError) throw error;
    throw new StartupError(`cannot load the supergraph from ${loader.description}: ${firstLine(error)}`);
  }
  served.graphql = expressMiddleware(apollo, {
    context: async ({ req, res }): Promise<GatewayContext> => {
      const context: GatewayContext = {
        identity: await authenticate(req.headers.authorization, config.JWT_ACCESS_SECRET),
        requestId: String(res.locals.requestId),
        clientAddress: clientAddressOf(req, config.TRUSTED_PROXY_HOPS),
      };
      await rateLimits.admitRequest(context);
      return context;
    },
  });
  logger.info("ready: the supergraph is loaded");

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    httpServer,
    gateway,
    subscriptions,
    entityCache,
    supergraphSdl: () => supergraphSdl,
    onSupergraphUpdate(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    reloadSupergraph: () => loader.reload(),
    stop() {
      stopping ??= (async () => {
        if (isAbortable(loader)) loader.abort();
        await stopSubscriptions();
        await apollo.stop();
        await subgraphFetcher.close();
        await rateLimits.close();
        await redis?.close();
        await entityCache?.stop();
        if (!options.bus) await bus.close();
      })();
      return stopping;
    },
  };
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n").find((line) => line.trim() !== "")?.trim() ?? "unknown error";
}
