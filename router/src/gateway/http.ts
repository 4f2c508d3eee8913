// The gateway's HTTP side on express: /graphql (CORS, request id, body, trusted documents, operation limits, then
// Apollo Server once it has started), /health, /ready, GraphiQL in development; and listening on the port.
import { randomUUID } from "node:crypto";
import type http from "node:http";
import type { AddressInfo } from "node:net";
import type { ApolloGateway } from "@apollo/gateway";
import type { ApolloServer } from "@apollo/server";
import { expressMiddleware } from "@as-integrations/express5";
import cors from "cors";
import express, { type Express, type Request, type RequestHandler, type Response } from "express";
import {
  jsonErrorHandler,
  operationLimitsMiddleware,
  readinessHandler,
  StartupError,
  type DependencyCheck,
  type Logger,
  type RequestGuardOptions,
} from "@watchflixx/common";
import { authenticate, type GatewayContext } from "../auth.ts";
import { clientAddressOf } from "../client-address.ts";
import { APOLLO_SANDBOX_ORIGIN, type GatewayConfig } from "../config.ts";
import { GRAPHIQL_PATH, graphiqlRouter } from "../graphiql/index.ts";
import type { GatewayRateLimits } from "../rate-limit.ts";
import type { TrustedDocuments } from "../trusted-documents.ts";

/** A client's own request id is kept (and forwarded) when it looks like one. */
const REQUEST_ID = /^[\w.:-]{1,128}$/;

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

const requestId: RequestHandler = (req, res, next) => {
  const given = req.headers["x-request-id"];
  const id = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
  res.locals.requestId = id;
  res.setHeader("x-request-id", id);
  next();
};

export interface RouteSettings {
  config: GatewayConfig;
  logger: Logger;
  path: string;
  gateway: ApolloGateway;
  guard: RequestGuardOptions;
  trustedDocuments: TrustedDocuments;
  /** What /ready checks (the supergraph, and the bus when subscriptions are served). */
  readinessChecks(): DependencyCheck[];
}

/** Mounts the routes; /graphql answers 503 until `serve` hands it Apollo Server's handler (the supergraph is loaded). */
export function mountRoutes(app: Express, settings: RouteSettings): { serve(graphql: RequestHandler): void } {
  const { config, logger, path, gateway, guard, trustedDocuments } = settings;
  // Development: GraphiQL served by the gateway itself (works offline), beside Apollo Sandbox on /graphql.
  if (config.NODE_ENV !== "production") app.use(GRAPHIQL_PATH, graphiqlRouter(path));
  app.get("/health", (_req, res) => {
    res.json({ status: "ok", service: "gateway" });
  });
  app.get("/ready", readinessHandler("gateway", settings.readinessChecks, logger));

  const served: { graphql?: RequestHandler } = {};
  app.use(
    path,
    corsMiddleware(config),
    requestId,
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
  return { serve: (graphql) => (served.graphql = graphql) };
}

type Admission = { caller: GatewayContext } | { refused: unknown };

/**
 * Apollo Server's handler: each request's context is the caller (token, address), admitted by the rate limits.
 * A POST is admitted here first, so that an anonymous one whose whole answer is cached (`answerFromCache`) is
 * answered without Apollo Server; a refusal is thrown from the context as before, for the same error answer.
 */
export function graphqlHandler(
  apollo: ApolloServer<GatewayContext>,
  config: GatewayConfig,
  rateLimits: GatewayRateLimits,
  answerFromCache?: (req: Request, res: Response, context: object) => Promise<boolean>,
): RequestHandler {
  const admit = async (req: Request, res: Response): Promise<GatewayContext> => {
    const context: GatewayContext = {
      identity: await authenticate(req.headers.authorization, config.JWT_ACCESS_SECRET),
      requestId: String(res.locals.requestId),
      clientAddress: clientAddressOf(req, config.TRUSTED_PROXY_HOPS),
    };
    await rateLimits.admitRequest(context);
    return context;
  };
  const apolloHandler = expressMiddleware(apollo, {
    context: async ({ req, res }): Promise<GatewayContext> => {
      const admission = res.locals.admission as Admission | undefined;
      if (!admission) return admit(req, res);
      if ("refused" in admission) throw admission.refused;
      return admission.caller;
    },
  });
  return async (req, res, next) => {
    if (req.method !== "POST" || !answerFromCache) return apolloHandler(req, res, next);
    let admission: Admission;
    try {
      admission = { caller: await admit(req, res) };
    } catch (refused) {
      admission = { refused };
    }
    res.locals.admission = admission;
    try {
      if ("caller" in admission && !admission.caller.identity && (await answerFromCache(req, res, admission.caller))) return;
    } catch {
      // The cache failed: Apollo Server answers, as without it.
    }
    return apolloHandler(req, res, next);
  };
}

export function listen(httpServer: http.Server, port: number, host: string): Promise<number> {
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
