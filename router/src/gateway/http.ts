// The gateway's HTTP side: /graphql (CORS, request id, body, trusted documents, operation limits, then Apollo
// Server once it has started), /health, /ready, GraphiQL in development; and listening on the port. A plain JSON
// POST to /graphql (what clients send) is served without express (`plainPost`, graphql-post.ts in common); every
// other request goes through express's chain of the same steps, and both end in `GraphQLServe`.
import { randomUUID } from "node:crypto";
import type http from "node:http";
import type { AddressInfo } from "node:net";
import type { ApolloGateway } from "@apollo/gateway";
import type { ApolloServer } from "@apollo/server";
import cors from "cors";
import express, { type Express, type RequestHandler } from "express";
import {
  answerWithApollo,
  failedRequest,
  isPlainJsonPost,
  jsonErrorHandler,
  operationLimitRefusal,
  readinessHandler,
  readJsonBody,
  refusingMiddleware,
  sendAnswer,
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

/** The request's id (the client's own when it looks like one), sent back in `x-request-id`. */
function assignRequestId(req: http.IncomingMessage, res: http.ServerResponse): string {
  const given = req.headers["x-request-id"];
  const id = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader("x-request-id", id);
  return id;
}

const requestId: RequestHandler = (req, res, next) => {
  res.locals.requestId = assignRequestId(req, res);
  next();
};

/** The largest /graphql body read. */
const BODY_LIMIT_BYTES = 1024 * 1024;

/** Serves one /graphql request that passed the checks: its parsed body (undefined for a GET) and its request id. */
export type GraphQLServe = (req: http.IncomingMessage, res: http.ServerResponse, body: unknown, requestId: string) => Promise<void>;

export interface Routes {
  /** Hands /graphql Apollo Server's side once the supergraph is loaded (until then: 503). */
  serve(graphql: GraphQLServe): void;
  /** Takes a plain JSON POST to /graphql past express (false: not one, express serves it). */
  plainPost(req: http.IncomingMessage, res: http.ServerResponse): boolean;
}

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

/** Mounts the routes; /graphql answers 503 until `serve` hands it Apollo Server's side (the supergraph is loaded). */
export function mountRoutes(app: Express, settings: RouteSettings): Routes {
  const { config, logger, path, gateway, guard, trustedDocuments } = settings;
  // Development: GraphiQL served by the gateway itself (works offline), beside Apollo Sandbox on /graphql.
  if (config.NODE_ENV !== "production") app.use(GRAPHIQL_PATH, graphiqlRouter(path));
  app.get("/health", (_req, res) => {
    res.json({ status: "ok", service: "gateway" });
  });
  app.get("/ready", readinessHandler("gateway", settings.readinessChecks, logger));

  let served: GraphQLServe | undefined;
  const starting = (res: http.ServerResponse) =>
    sendAnswer(res, { status: 503, body: { errors: [{ message: "The gateway is starting.", extensions: { code: "SERVICE_UNAVAILABLE" } }] } });
  const allowCors = corsMiddleware(config);
  // Operation limits before Apollo Server validates and the gateway plans.
  const refuseOverLimits = operationLimitRefusal(() => gateway.schema, guard);
  app.use(
    path,
    allowCors,
    requestId,
    // A body the plain path already read (handed over below) is left as it is.
    express.json({ limit: BODY_LIMIT_BYTES }),
    trustedDocuments.httpGuard(),
    refusingMiddleware(refuseOverLimits),
    (req, res, next) => {
      if (!served) return starting(res);
      served(req, res, req.body, String(res.locals.requestId)).catch(next);
    },
  );
  // A body that is not JSON, too large or badly compressed: a JSON GraphQL error, never express's HTML page.
  app.use(jsonErrorHandler(logger));

  const servePlainPost = async (req: http.IncomingMessage, res: http.ServerResponse, id: string) => {
    const body = await readJsonBody(req);
    if ("refused" in body) return sendAnswer(res, body.refused);
    if (trustedDocuments.refuses(body.json)) {
      // The rare refusal goes back to express, whose guard answers it in the media type the client prefers:
      // the same id, and the body already read (body-parser leaves a finished request's body as it is).
      req.headers["x-request-id"] = id;
      (req as http.IncomingMessage & { body?: unknown }).body = body.json;
      app(req as express.Request, res as express.Response);
      return;
    }
    const refusal = refuseOverLimits(body.json);
    if (refusal) return sendAnswer(res, refusal);
    if (!served) return starting(res);
    await served(req, res, body.json, id);
  };
  return {
    serve: (graphql) => (served = graphql),
    plainPost(req, res) {
      if (!isPlainJsonPost(req, path, BODY_LIMIT_BYTES)) return false;
      // cors: on a POST it only sets headers, then goes on at once.
      allowCors(req as express.Request, res as express.Response, () => {
        servePlainPost(req, res, assignRequestId(req, res)).catch(failedRequest(logger, res));
      });
      return true;
    },
  };
}

/**
 * Apollo Server's side: each request's context is the caller (token, address), admitted by the rate limits
 * before Apollo Server runs, so that an anonymous POST whose whole answer is cached (`answerFromCache`) is
 * answered without it; a refusal is thrown from the context, for Apollo Server's usual error answer.
 */
export function graphqlHandler(
  apollo: ApolloServer<GatewayContext>,
  config: GatewayConfig,
  rateLimits: GatewayRateLimits,
  answerFromCache?: (req: http.IncomingMessage, res: http.ServerResponse, body: unknown, context: object) => Promise<boolean>,
): GraphQLServe {
  const admit = async (req: http.IncomingMessage, requestId: string): Promise<GatewayContext> => {
    const context: GatewayContext = {
      identity: await authenticate(req.headers.authorization, config.JWT_ACCESS_SECRET),
      requestId,
      clientAddress: clientAddressOf(req, config.TRUSTED_PROXY_HOPS),
    };
    await rateLimits.admitRequest(context);
    return context;
  };
  return async (req, res, body, requestId) => {
    let admission: { caller: GatewayContext } | { refused: unknown };
    try {
      admission = { caller: await admit(req, requestId) };
    } catch (refused) {
      admission = { refused };
    }
    try {
      if (answerFromCache && "caller" in admission && !admission.caller.identity && (await answerFromCache(req, res, body, admission.caller))) return;
    } catch {
      // The cache failed: Apollo Server answers, as without it.
    }
    await answerWithApollo(apollo, req, res, body, async () => {
      if ("refused" in admission) throw admission.refused;
      return admission.caller;
    });
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
