// The gateway's WebSocket caps, sent as an attacker would: subscriptions past the per-socket cap are refused
// (the others keep receiving), an oversized connection_init is closed before it is parsed, a message over
// the general cap closes the socket, and an account's sockets past the cap push out its oldest.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type Client } from "graphql-ws";
import { Redis } from "ioredis";
import WebSocket from "ws";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { issueAccessToken, type Identity } from "@watchflixx/common";
import { startTestRedis, type TestRedisServer } from "@watchflixx/common/testing/redis";
import { startSupergraph, type RunningSupergraph } from "@watchflixx/testing";
import { contentFixture, TICKS_TOPIC, tickerFixture } from "./fixtures.ts";

const alice: Identity = { userId: "user-alice", role: "USER", deviceId: null };
const bob: Identity = { userId: "user-bob", role: "USER", deviceId: null };
const TICKS = "subscription { ticks { n } }";

interface Stream {
  events: number[];
  errors: { message: string; extensions?: Record<string, unknown> }[];
  stop: () => void;
}

function subscribeTicks(client: Client): Stream {
  const stream: Stream = { events: [], errors: [], stop: () => undefined };
  stream.stop = client.subscribe<{ ticks: { n: number } }>(
    { query: TICKS },
    {
      next: (result) => {
        if (result.data) stream.events.push(result.data.ticks.n);
      },
      error: (errors) => stream.errors.push(...(errors as Stream["errors"])),
      complete: () => undefined,
    },
  );
  return stream;
}

/** A raw graphql-ws socket: what the server answers to exactly what is sent, and how it closes. */
function rawSocket(url: string) {
  const socket = new WebSocket(url, "graphql-transport-ws");
  const messages: { type: string }[] = [];
  const closed = new Promise<number>((resolve) => socket.once("close", (code) => resolve(code)));
  socket.on("message", (data) => messages.push(JSON.parse(String(data)) as { type: string }));
  socket.on("error", () => undefined);
  const open = new Promise<void>((resolve) => socket.once("open", () => resolve()));
  return { socket, messages, closed, open };
}

describe("WebSocket caps at the gateway", () => {
  let database: TestDatabase;
  let redis: TestRedisServer;
  let publisher: Redis;
  let supergraph: RunningSupergraph;
  let wsUrl: string;
  const clients: Client[] = [];
  const sockets: WebSocket[] = [];

  beforeAll(async () => {
    [database, redis] = await Promise.all([createTestDatabase(), startTestRedis()]);
    publisher = new Redis(redis.url);
    supergraph = await startSupergraph({
      db: database.db,
      config: {
        REDIS_URL: redis.url,
        WS_MAX_SUBSCRIPTIONS_PER_SOCKET: 3,
        WS_MAX_SOCKETS_PER_ACCOUNT: 2,
        WS_MAX_CONNECTION_INIT_BYTES: 4 * 1024,
        WS_MAX_MESSAGE_BYTES: 64 * 1024,
      },
      subgraphs: [await contentFixture(), await tickerFixture()],
    });
    wsUrl = supergraph.url.replace(/^http/, "ws");
  });
  afterAll(async () => {
    for (const socket of sockets) socket.terminate();
    await Promise.all(clients.map((client) => client.dispose()));
    await supergraph?.stop();
    publisher?.disconnect();
    await redis?.stop();
    await database?.drop();
  });

  const token = (identity: Identity) => issueAccessToken(identity, supergraph.config.JWT_ACCESS_SECRET);
  const stats = () => supergraph.gateway.subscriptions?.stats();

  async function graphqlWsClient(identity: Identity): Promise<Client> {
    const bearer = `Bearer ${await token(identity)}`;
    const client = createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: bearer }, retryAttempts: 0 });
    clients.push(client);
    return client;
  }

  /** Opens a raw socket and has it accepted with `identity`'s token. */
  async function acceptedSocket(identity: Identity) {
    const raw = rawSocket(wsUrl);
    sockets.push(raw.socket);
    await raw.open;
    raw.socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${await token(identity)}` } }));
    await expect.poll(() => raw.messages.some((message) => message.type === "connection_ack")).toBe(true);
    return raw;
  }

  it("refuses a subscription past the per-socket cap with RATE_LIMITED; the others keep receiving, and completing one frees a place", async () => {
    const client = await graphqlWsClient(alice);
    const streams = [subscribeTicks(client), subscribeTicks(client), subscribeTicks(client)];
    await expect.poll(() => stats()?.clients).toBe(3);

    const extra = subscribeTicks(client);
    await expect.poll(() => extra.errors.length).toBe(1);
    expect(extra.errors[0]?.extensions).toEqual({ code: "RATE_LIMITED", reason: "TOO_MANY_SUBSCRIPTIONS", limit: 3 });
    expect(stats()?.clients).toBe(3);

    // One event reaches each accepted subscription once; the refused one gets nothing.
    await publisher.publish(TICKS_TOPIC, JSON.stringify({ n: 1 }));
    for (const stream of streams) await expect.poll(() => stream.events).toEqual([1]);
    expect(extra.events).toEqual([]);

    streams[0]?.stop();
    await expect.poll(() => stats()?.clients).toBe(2);
    const again = subscribeTicks(client);
    await expect.poll(() => stats()?.clients).toBe(3);
    await publisher.publish(TICKS_TOPIC, JSON.stringify({ n: 2 }));
    await expect.poll(() => again.events).toEqual([2]);
    expect(again.errors).toEqual([]);
    for (const stream of [...streams, again]) stream.stop();
    await expect.poll(() => stats()?.clients).toBe(0);
  });

  it("closes a connection_init over the cap with 4413 before reading it, and accepts one under it", async () => {
    const huge = rawSocket(wsUrl);
    sockets.push(huge.socket);
    await huge.open;
    const padding = "x".repeat(8 * 1024);
    huge.socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${await token(alice)}`, padding } }));
    expect(await huge.closed).toBe(4413);
    expect(huge.messages).toEqual([]);

    const fine = await acceptedSocket(bob);
    expect(fine.messages).toEqual([{ type: "connection_ack" }]);
    fine.socket.close();
  });

  it("closes a socket that sends a message over the general cap (1009), accepted or not", async () => {
    const before = rawSocket(wsUrl);
    sockets.push(before.socket);
    await before.open;
    before.socket.send("x".repeat(1024 * 1024));
    expect(await before.closed).toBe(1009);

    const after = await acceptedSocket(bob);
    after.socket.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query: `${TICKS} ${"#".repeat(100 * 1024)}` } }));
    expect(await after.closed).toBe(1009);
  });

  it("closes an account's oldest socket with 4429 when it opens one past the cap; other accounts are untouched", async () => {
    const first = await acceptedSocket(alice);
    const second = await acceptedSocket(alice);
    const bobs = await acceptedSocket(bob);
    const third = await acceptedSocket(alice);
    expect(await first.closed).toBe(4429);
    for (const open of [second, third, bobs]) expect(open.socket.readyState).toBe(WebSocket.OPEN);

    // The sockets that remain serve subscriptions.
    third.socket.send(JSON.stringify({ id: "t", type: "subscribe", payload: { query: TICKS } }));
    await expect.poll(() => stats()?.clients).toBe(1);
    await publisher.publish(TICKS_TOPIC, JSON.stringify({ n: 3 }));
    await expect.poll(() => third.messages.filter((message) => message.type === "next")).toEqual([
      { id: "t", type: "next", payload: { data: { ticks: { n: 3 } } } },
    ]);
  });
});
