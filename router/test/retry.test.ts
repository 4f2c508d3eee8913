// The gateway's subgraph fetcher after a connection is lost with no response: a query is sent again on a new
// connection, a mutation is not (it may have been applied).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSubgraphFetcher } from "../src/fetcher.ts";
import { isQueryRequest, retryQueriesOnConnectionLoss } from "../src/retry.ts";

describe("retrying subgraph requests after a lost connection", () => {
  let server: http.Server;
  let url: string;
  const received: string[] = [];
  /** The next request this many requests are cut off (socket destroyed, no response). */
  let cutOff = 0;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        received.push(body);
        if (cutOff > 0) {
          cutOff -= 1;
          req.socket.destroy();
          return;
        }
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ data: { ok: true } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const send = (fetcher: ReturnType<typeof retryQueriesOnConnectionLoss>, query: string) =>
    fetcher(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables: {} }) });

  it("sends a query again on a new connection and answers it", async () => {
    const pooled = createSubgraphFetcher();
    const fetcher = retryQueriesOnConnectionLoss(pooled.fetcherFor("content"));
    received.length = 0;
    cutOff = 1;
    const response = await send(fetcher, "query Entities__content__0 { _entities(representations: []) { __typename } }");
    expect(await response.json()).toEqual({ data: { ok: true } });
    expect(received).toHaveLength(2);
    await pooled.close();
  });

  it("lets a mutation's failure stand: it is sent once", async () => {
    const pooled = createSubgraphFetcher();
    const fetcher = retryQueriesOnConnectionLoss(pooled.fetcherFor("content"));
    received.length = 0;
    cutOff = 1;
    await expect(send(fetcher, "mutation SendPartyMessage { sendPartyMessage(sessionId: \"s\", text: \"hi\") { id } }")).rejects.toThrow();
    expect(received).toHaveLength(1);
    await pooled.close();
  });

  it("tells queries from mutations by the operation sent", () => {
    expect(isQueryRequest(JSON.stringify({ query: "{ plans { id } }" }))).toBe(true);
    expect(isQueryRequest(JSON.stringify({ query: "mutation A { a } query B { b }", operationName: "A" }))).toBe(false);
    expect(isQueryRequest(JSON.stringify({ query: "mutation A { a } query B { b }", operationName: "B" }))).toBe(true);
    expect(isQueryRequest("not json")).toBe(false);
  });
});
