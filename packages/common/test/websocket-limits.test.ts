// A subgraph's own graphql-ws (reachable on its port, not only through the gateway) has the same size limits:
// a connection_init over 16 KiB is closed with 4413 before it is parsed, any message over 256 KiB with 1009.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Field, Int, ObjectType, Query, Resolver, Subscription } from "type-graphql";
import WebSocket from "ws";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import {
  baseConfigSchema,
  buildFederatedSchema,
  CLOSE_PAYLOAD_TOO_LARGE,
  DEFAULT_WEBSOCKET_LIMITS,
  parseConfig,
  signWebSocketParams,
  startSubgraph,
  type RunningSubgraph,
  type SubgraphContext,
} from "../src/index.ts";

@ObjectType("Beat")
class Beat {
  @Field(() => Int) n!: number;
}

@Resolver()
class BeatResolver {
  @Query(() => Int)
  beats(): number {
    return 0;
  }

  @Subscription(() => Beat, {
    subscribe: ({ context }) => {
      const { pubSub } = context as SubgraphContext;
      if (!pubSub) throw new Error("served with subscriptions: true");
      return pubSub.asyncIterableIterator(`websocket-limits-test:${process.pid}`);
    },
  })
  beat(): Beat {
    return { n: 1 };
  }
}

function connect(url: string) {
  const socket = new WebSocket(url, "graphql-transport-ws");
  const messages: unknown[] = [];
  socket.on("message", (data) => messages.push(JSON.parse(String(data))));
  socket.on("error", () => undefined);
  return {
    socket,
    messages,
    open: new Promise<void>((resolve) => socket.once("open", () => resolve())),
    closed: new Promise<number>((resolve) => socket.once("close", (code) => resolve(code))),
  };
}

describe("a subgraph's graphql-ws limits", () => {
  let database: TestDatabase;
  let subgraph: RunningSubgraph;
  const config = parseConfig(baseConfigSchema, { NODE_ENV: "test", LOG_LEVEL: "error" });
  let wsUrl: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const { schema, sdl } = await buildFederatedSchema({ resolvers: [BeatResolver], orphanedTypes: [Beat] });
    subgraph = await startSubgraph(
      { name: "social", schema, sdl, createLoaders: () => ({}), subscriptions: true },
      { db: database.db, config, port: 0, host: "127.0.0.1" },
    );
    wsUrl = subgraph.url.replace(/^http/, "ws");
  });
  afterAll(async () => {
    await subgraph?.stop();
    await database?.drop();
  });

  const signed = () => signWebSocketParams({ userId: "gateway", role: "SERVICE", deviceId: null }, config.GATEWAY_SHARED_SECRET);

  it("accepts a connection_init of the usual size (the gateway's signed identity)", async () => {
    const client = connect(wsUrl);
    await client.open;
    client.socket.send(JSON.stringify({ type: "connection_init", payload: signed() }));
    await expect.poll(() => client.messages).toEqual([{ type: "connection_ack" }]);
    client.socket.close();
  });

  it("closes a connection_init over the cap with 4413, unread", async () => {
    const client = connect(wsUrl);
    await client.open;
    const padding = "x".repeat(DEFAULT_WEBSOCKET_LIMITS.maxConnectionInitBytes);
    client.socket.send(JSON.stringify({ type: "connection_init", payload: { ...signed(), padding } }));
    expect(await client.closed).toBe(CLOSE_PAYLOAD_TOO_LARGE);
    expect(client.messages).toEqual([]);
  });

  it("closes a socket sending a message over maxPayload with 1009", async () => {
    const client = connect(wsUrl);
    await client.open;
    client.socket.send(JSON.stringify({ type: "connection_init", payload: signed() }));
    await expect.poll(() => client.messages).toEqual([{ type: "connection_ack" }]);
    client.socket.send("x".repeat(DEFAULT_WEBSOCKET_LIMITS.maxMessageBytes + 1));
    expect(await client.closed).toBe(1009);
  });
});
