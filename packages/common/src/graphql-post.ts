// GraphQL over plain Node HTTP, for the gateway and the subgraphs. Their hot path — a POST of a JSON body of a
// declared length, sent as is (what the gateway sends every subgraph, and what clients send the gateway) — is
// served straight from Node's HTTP server, without express: express's router, body-parser (type-is, raw-body,
// the charset and encoding layers), the integration's header copying and express's ETag hash of every answer
// were about 40 % of a subgraph's CPU on an empty request (bench/README, `FixedCost`). Anything else (compressed,
// chunked, another charset or type, GET, other paths) still goes through express, and both ways end in
// `answerWithApollo`, so a client cannot tell them apart (tests/contract operation-limits: "two ways in").
import type { IncomingMessage, ServerResponse } from "node:http";
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLResponse } from "@apollo/server";
import type { Logger } from "./logger.ts";
import { bodyErrorAnswer, type ErrorAnswer } from "./request-guards.ts";

/** POST `path` (any query string) with a JSON body of a declared length within the limit, not compressed. */
export function isPlainJsonPost(req: IncomingMessage, path: string, limitBytes: number): boolean {
  if (req.method !== "POST") return false;
  const url = req.url ?? "";
  if (url !== path && !(url.startsWith(path) && url[path.length] === "?")) return false;
  const length = Number(req.headers["content-length"]);
  if (!Number.isInteger(length) || length > limitBytes) return false;
  const encoding = req.headers["content-encoding"];
  if (encoding !== undefined && encoding.toLowerCase() !== "identity") return false;
  const type = (req.headers["content-type"] ?? "").toLowerCase().replace(/\s+/g, "");
  return type === "application/json" || type === "application/json;charset=utf-8";
}

/** A body read by `readJsonBody`: the exact bytes (which the gateway's signature covers) and what they parse to. */
export type ReadBody = { raw: Buffer; json: object } | { refused: ErrorAnswer };

/**
 * The whole body of a request `isPlainJsonPost` took (its length is declared, and Node's parser holds the client to
 * it), parsed as express.json (strict) would: only an object or an array is a request. Never settles for a client
 * that goes away mid-body (its socket is gone: nothing to answer).
 */
export function readJsonBody(req: IncomingMessage): Promise<ReadBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("error", () => undefined);
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      let json: unknown;
      try {
        json = JSON.parse(raw.toString("utf8"));
      } catch {
        json = undefined;
      }
      resolve(typeof json === "object" && json !== null ? { raw, json } : { refused: bodyErrorAnswer({ type: "entity.parse.failed", status: 400 }) });
    });
  });
}

/** Sends an answer made before Apollo Server (a refusal). */
export function sendAnswer(res: ServerResponse, answer: ErrorAnswer): void {
  const text = JSON.stringify(answer.body);
  res.statusCode = answer.status;
  res.setHeader("content-type", "application/json; charset=utf-8");
  res.setHeader("content-length", Buffer.byteLength(text));
  res.end(text);
}

/**
 * What a plain-path request that failed unexpectedly gets: the error logged, then 500 without details (or, once
 * its answer has begun, its connection closed). For `promise.catch(failedRequest(logger, res))`.
 */
export function failedRequest(logger: Logger, res: ServerResponse): (error: unknown) => void {
  return (error) => {
    logger.error("request failed", error);
    if (res.headersSent) res.destroy();
    else sendAnswer(res, bodyErrorAnswer(new Error("internal")));
  };
}

/**
 * Runs one request through Apollo Server and writes its answer: what `expressMiddleware` did, for a request
 * from either way in. `body` is the parsed JSON body (undefined for a GET or an unparsed body).
 */
export async function answerWithApollo<TContext extends BaseContext>(
  apollo: ApolloServer<TContext>,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  context: () => Promise<TContext>,
): Promise<void> {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const url = req.url ?? "";
  const query = url.indexOf("?");
  const answer = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: (req.method ?? "GET").toUpperCase(), headers, search: query === -1 ? "" : url.slice(query), body },
    context,
  });
  await writeAnswer(res, answer);
}

async function writeAnswer(res: ServerResponse, answer: HTTPGraphQLResponse): Promise<void> {
  res.statusCode = answer.status ?? 200;
  for (const [name, value] of answer.headers) res.setHeader(name, value);
  if (answer.body.kind === "complete") {
    res.setHeader("content-length", Buffer.byteLength(answer.body.string));
    res.end(answer.body.string);
    return;
  }
  for await (const chunk of answer.body.asyncIterator) res.write(chunk);
  res.end();
}
