// The gateway's per-address and per-account limits on the WebSocket path: each connection and each subscribe
// counts, a connection over the limit is closed with 4429, a subscribe over it gets RATE_LIMITED (before parsing).
// Raw graphql-transport-ws frames over `ws`, with the client address given as a trusted proxy gives it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { issueAccessToken } from "@watchflixx/common";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { startSupergraph, type RunningSupergraph } from "@watchflixx/testing";
import { contentFixture, streamingFixture } from "./fixtures.ts";

interface Socket {
  /** The next message's payload of `type`, or the close event. */
  next(): Promise<{ type: string; payload?: unknown } | { closed: number }>;
  send(message: unknown): void;
  close(): void;
}

function open(url: string, address: string): Promise<Socket> {
  const socket = new WebSocket(url.replace("http", "ws"), "graphql-transport-ws", { headers: { "x-forwarded-for": address } });
  const inbox: ({ type: string; payload?: unknown } | { closed: number })[] = [];
  const waiting: ((message: { type: string; payload?: unknown } | { closed: number }) => void)[] = [];
  const deliver = (message: { type: string; payload?: unknown } | { closed: number }) => {
    const waiter = waiting.shift();
    if (waiter) waiter(message);
    else inbox.push(message);
  };
  socket.on("message", (data) => deliver(JSON.parse(String(data)) as { type: string; payload?: unknown }));
  socket.on("close", (code) => deliver({ closed: code }));
  return new Promise((resolve, reject) => {
    socket.once("error", reject);
    socket.once("open", () =>
      resolve({
        next: () => {
          const message = inbox.shift();
          return message ? Promise.resolve(message) : new Promise((resolveNext) => waiting.push(resolveNext));
        },
        send: (message) => socket.send(JSON.stringify(message)),
        close: () => socket.close(),
      }),
    );
  });
}

describe("the gateway's rate limits over WebSocket", () => {
  let database: TestDatabase;
  let supergraph: RunningSupergraph;
  let token: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    supergraph = await startSupergraph({
      db: database.db,
      subgraphs: [await contentFixture(), await streamingFixture()],
      config: { TRUSTED_PROXY_HOPS: 1, RATE_LIMITS: { "gateway-address": { points: 3, seconds: 60 } } },
    });
    token = await issueAccessToken({ userId: "user-ws", role: "USER", deviceId: null }, supergraph.config.JWT_ACCESS_SECRET);
  });
  afterAll(async () => {
    await supergraph?.stop();
    await database?.drop();
  });

  it("counts connections and subscribes per address, closes a connection over the limit with 4429, and serves other addresses", async () => {
    const first = await open(supergraph.url, "203.0.113.50");
    first.send({ type: "connection_init", payload: { authorization: `Bearer ${token}` } });
    expect(await first.next()).toMatchObject({ type: "connection_ack" });
    // Two subscribes pass the limit (and are then refused for what they are: a query, over WebSocket); the third
    // is refused before anything else.
    const codes: unknown[] = [];
    for (const id of ["1", "2", "3"]) {
      first.send({ id, type: "subscribe", payload: { query: "{ __typename }" } });
      const answer = (await first.next()) as { payload?: { extensions?: { code?: string; retryAfterSeconds?: number } }[] };
      codes.push(answer.payload?.[0]?.extensions?.code);
    }
    expect(codes).toEqual(["BAD_REQUEST", "BAD_REQUEST", "RATE_LIMITED"]);
    first.close();

    const second = await open(supergraph.url, "203.0.113.50");
    second.send({ type: "connection_init", payload: { authorization: `Bearer ${token}` } });
    expect(await second.next()).toEqual({ closed: 4429 });

    const elsewhere = await open(supergraph.url, "203.0.113.51");
    elsewhere.send({ type: "connection_init", payload: { authorization: `Bearer ${token}` } });
    expect(await elsewhere.next()).toMatchObject({ type: "connection_ack" });
    elsewhere.close();
  });
});
