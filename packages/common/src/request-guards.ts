// Where the operation limits and the input text checks run, for Apollo Server (gateway and subgraphs), for
// graphql-ws (gateway and subgraphs), and what turns a body that cannot be read into a JSON GraphQL error.
import type { ApolloServerPlugin } from "@apollo/server";
import type { ErrorRequestHandler, RequestHandler } from "express";
import { GraphQLError, parse, type DocumentNode, type GraphQLSchema } from "graphql";
import { LRUCache } from "lru-cache";
import { checkDocumentText, checkVariablesText } from "./input-text.ts";
import { checkDocumentSource, checkOperationLimits, OperationTooComplexError, type OperationLimits } from "./operation-limits.ts";
import type { Logger } from "./logger.ts";

export interface RequestGuardOptions {
  limits: OperationLimits;
  /** The generic cap on any string input (INPUT_MAX_STRING_LENGTH). */
  maxStringLength: number;
}

/** Express middleware answering what `refuse` refuses (a GET's request is its query string). */
export function refusingMiddleware(refuse: (body: unknown) => ErrorAnswer | null): RequestHandler {
  return (req, res, next) => {
    const refusal = refuse(req.method === "GET" ? req.query : req.body);
    if (refusal) {
      res.status(refusal.status).json(refusal.body);
      return;
    }
    next();
  };
}

/** An answer that refuses a request before Apollo Server sees it: its HTTP status and JSON body. */
export interface ErrorAnswer {
  status: number;
  body: { errors: unknown[] };
}

/**
 * The operation limits, on a request's parsed body (one request, or a batch), before Apollo Server parses,
 * validates (graphql-js runs every rule at once) or the gateway plans it: OPERATION_TOO_COMPLEX (400) for the first
 * request over a limit, otherwise null. Apollo's plugin hooks cannot answer a request between parsing and
 * validation (an error thrown there becomes a 500), hence before it: as express middleware (`refusingMiddleware`),
 * or called by the plain-Node POST path (graphql-post.ts). A document that does not parse is left to Apollo
 * Server, which reports the syntax error.
 */
export function operationLimitRefusal(schema: () => GraphQLSchema | undefined, options: RequestGuardOptions): (body: unknown) => ErrorAnswer | null {
  // Clients (and the gateway's planned subgraph fetches) send the same few documents over and over: each text is
  // counted and parsed once. Only documents within the token limit that parse are kept; the limits themselves are
  // checked on every request, since `first: $n` makes the cost depend on the variables. Bounded by the texts'
  // length, so that a client sending new documents cannot make it hold much memory.
  const parsed = new LRUCache<string, DocumentNode>({ max: 1000, maxSize: 256 * 1024, sizeCalculation: (_document, query) => Math.max(1, query.length) });
  const documentOf = (query: string): DocumentNode | undefined => {
    let document = parsed.get(query);
    if (document) return document;
    checkDocumentSource(query, options.limits);
    try {
      document = parse(query);
    } catch {
      return undefined;
    }
    parsed.set(query, document);
    return document;
  };
  return (body) => {
    const current = schema();
    if (!current) return null;
    const requests: unknown[] = Array.isArray(body) ? body : [body];
    for (const request of requests) {
      if (request === null || typeof request !== "object") continue;
      const { query, variables } = request as { query?: unknown; variables?: unknown };
      if (typeof query !== "string") continue;
      try {
        const document = documentOf(query);
        if (!document) continue;
        checkOperationLimits(current, document, variablesOf(variables), options.limits);
      } catch (error) {
        if (!(error instanceof OperationTooComplexError)) throw error;
        return { status: 400, body: { errors: [withoutHttp(error).toJSON()] } };
      }
    }
    return null;
  };
}

/** Variables as sent: an object in a POST body, a JSON string in a GET's query string. */
function variablesOf(value: unknown): Record<string, unknown> | undefined {
  if (typeof value === "string") {
    try {
      return variablesOf(JSON.parse(value));
    } catch {
      return undefined;
    }
  }
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * Apollo Server plugin, once the operation is known and before anything executes (the gateway plans after this):
 * the text of every string input, and the limits again for what the middleware did not see (a persisted query
 * sent by its hash alone). Its refusals carry HTTP 400.
 */
export function requestGuardPlugin<TContext extends object>(options: RequestGuardOptions): ApolloServerPlugin<TContext> {
  const { limits, maxStringLength } = options;
  return {
    async requestDidStart({ request }) {
      const seenByMiddleware = typeof request.query === "string";
      return {
        async didResolveOperation({ schema, document }) {
          if (!seenByMiddleware) checkOperationLimits(schema, document, request.variables, limits);
          checkVariablesText(request.variables, maxStringLength);
          checkDocumentText(document, maxStringLength);
        },
      };
    },
  };
}

/**
 * The same checks for a graphql-ws subscribe message: tokens, parse, limits, text. Returns the parsed document or
 * throws the GraphQLError to send back (OPERATION_TOO_COMPLEX, BAD_USER_INPUT, or the syntax error).
 */
export function parseGuardedSubscription(
  schema: GraphQLSchema,
  query: string,
  variables: Readonly<Record<string, unknown>> | null | undefined,
  options: RequestGuardOptions,
): DocumentNode {
  try {
    checkDocumentSource(query, options.limits);
    const document = parse(query);
    checkOperationLimits(schema, document, variables ?? undefined, options.limits);
    checkVariablesText(variables, options.maxStringLength);
    checkDocumentText(document, options.maxStringLength);
    return document;
  } catch (error) {
    throw error instanceof GraphQLError ? withoutHttp(error) : error;
  }
}

/** A socket has no HTTP status: the error as a client sees it, without the `http` extension Apollo Server reads. */
function withoutHttp(error: GraphQLError): GraphQLError {
  const { http: _http, ...extensions } = error.extensions;
  return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions });
}

interface HttpError {
  status?: unknown;
  statusCode?: unknown;
  type?: unknown;
  limit?: unknown;
}

/** What a client is told about a body that could not be read (body-parser's error types). */
function bodyErrorMessage(error: HttpError, status: number): string {
  switch (error.type) {
    case "entity.parse.failed":
      return "The request body is not valid JSON.";
    case "entity.too.large":
      return `The request body is larger than the limit of ${typeof error.limit === "number" ? `${error.limit} bytes` : "the server"}.`;
    case "encoding.unsupported":
      return "The request body's Content-Encoding is not supported (use gzip, deflate, br or none).";
    case "charset.unsupported":
      return "The request body's charset is not supported (use UTF-8).";
    case "request.aborted":
    case "request.size.invalid":
      return "The request body was not received whole.";
    default:
      return status === 400 ? "The request body could not be read (is its Content-Encoding right?)." : "The request could not be read.";
  }
}

/**
 * Express error handler (mounted last): a body that is not JSON, too large, or badly compressed gets a JSON
 * GraphQL error with its HTTP status (400, 413, 415) instead of express's HTML page with a stack trace; any
 * other error is logged and answered 500 INTERNAL_SERVER_ERROR, without details.
 */
export function jsonErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const answer = bodyErrorAnswer(error);
    if (answer.status === 500) logger.error("request failed", error);
    res.status(answer.status).json(answer.body);
  };
}

/**
 * What `jsonErrorHandler` answers for an error met while reading a request: a client's (4xx, said by body-parser's
 * `status` and `type`) as BAD_REQUEST with its status, anything else 500 INTERNAL_SERVER_ERROR without details.
 */
export function bodyErrorAnswer(error: unknown): ErrorAnswer {
  const httpError = (typeof error === "object" && error !== null ? error : {}) as HttpError;
  const given = Number(httpError.status ?? httpError.statusCode);
  const clientError = Number.isInteger(given) && given >= 400 && given < 500;
  const status = clientError ? given : 500;
  const body = clientError
    ? { message: bodyErrorMessage(httpError, status), extensions: { code: "BAD_REQUEST" } }
    : { message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } };
  return { status, body: { errors: [body] } };
}
