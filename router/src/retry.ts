// A subgraph request that failed on its connection, with no response (the instance closed or reset it: a crash,
// a pod killed, the forced end of a drain), is sent once more on a new connection, which the Service balances to
// another pod, but only when running it twice is harmless: a query (a read, an `_entities` fetch). A mutation may
// have been applied before the connection went, so its failure stands and reaches the client as an error.
// Normal restarts need no retry (the drain closes no connection under a request: packages/common/src/drain.ts).
import type { RemoteGraphQLDataSource } from "@apollo/gateway";
import { getOperationAST, parse } from "graphql";

type Fetcher = RemoteGraphQLDataSource["fetcher"];

/** Errors that mean the connection went before a response: nothing the subgraph answered is lost by retrying. */
const CONNECTION_LOST = new Set(["UND_ERR_SOCKET", "ECONNRESET", "EPIPE", "ECONNREFUSED"]);

function connectionLost(error: unknown): boolean {
  for (let cause: unknown = error, depth = 0; cause && depth < 4; depth += 1) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string" && CONNECTION_LOST.has(code)) return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

/** True when the request body is a GraphQL query (parsed only after a failure, never on the happy path). */
export function isQueryRequest(body: unknown): boolean {
  if (typeof body !== "string") return false;
  try {
    const request = JSON.parse(body) as { query?: unknown; operationName?: unknown };
    if (typeof request.query !== "string") return false;
    const operation = getOperationAST(parse(request.query), typeof request.operationName === "string" ? request.operationName : undefined);
    return operation?.operation === "query";
  } catch {
    return false;
  }
}

export function retryQueriesOnConnectionLoss(fetcher: Fetcher): Fetcher {
  return async (url, init) => {
    try {
      return await fetcher(url, init);
    } catch (error) {
      if (!connectionLost(error) || !isQueryRequest(init?.body) || init?.signal?.aborted) throw error;
      return fetcher(url, init);
    }
  };
}
