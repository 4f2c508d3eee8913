// /health is liveness, /ready tells the truth: a subgraph whose Redis is stopped, or whose database does not
// answer, says 503 and names it, and is ready again when the dependency returns.
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Field, ObjectType, Query, Resolver } from "type-graphql";
import { createPrismaClient } from "@watchflixx/db";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { startTestRedis, type TestRedisServer } from "@watchflixx/common/testing/redis";
import { baseConfigSchema, buildFederatedSchema, parseConfig, startSubgraph, type RunningSubgraph, type SubgraphDefinition } from "../src/index.ts";

@ObjectType("Pulse")
class Pulse {
  @Field(() => String) beat!: string;
}

@Resolver()
class PulseResolver {
  @Query(() => Pulse)
  pulse(): Pulse {
    return { beat: "ok" };
  }
}

/** A TCP server that accepts connections and never says a word: a database host that does not answer. */
async function silentServer() {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe("readiness of a subgraph", () => {
  let database: TestDatabase;
  let redis: TestRedisServer;
  let silent: Awaited<ReturnType<typeof silentServer>>;
  let definition: SubgraphDefinition;
  const running: RunningSubgraph[] = [];

  beforeAll(async () => {
    [database, redis, silent] = await Promise.all([createTestDatabase(), startTestRedis(), silentServer()]);
    const { schema, sdl } = await buildFederatedSchema({ resolvers: [PulseResolver], orphanedTypes: [Pulse] });
    definition = { name: "content", schema, sdl, createLoaders: () => ({}) };
  });
  afterAll(async () => {
    await Promise.all(running.map((subgraph) => subgraph.stop()));
    await silent?.stop();
    await redis?.stop();
    await database?.drop();
  });

  async function start(db: TestDatabase["db"], redisUrl: string) {
    const config = parseConfig(baseConfigSchema, { NODE_ENV: "test", LOG_LEVEL: "error", REDIS_URL: redisUrl });
    const subgraph = await startSubgraph(definition, { db, config, port: 0, host: "127.0.0.1" });
    running.push(subgraph);
    const base = subgraph.url.replace(/\/graphql$/, "");
    return {
      health: async () => ({ status: (await fetch(`${base}/health`)).status }),
      ready: async () => {
        const response = await fetch(`${base}/ready`);
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      },
    };
  }

  it("is ready while PostgreSQL and Redis answer, names Redis while it is down, and is ready again when it returns", async () => {
    const subgraph = await start(database.db, redis.url);
    expect(await subgraph.ready()).toEqual({ status: 200, body: { status: "ready", service: "content" } });

    await redis.stop();
    expect(await subgraph.ready()).toEqual({
      status: 503,
      body: { status: "unavailable", service: "content", failing: ["redis"], reason: "redis unreachable" },
    });
    // Alive all the same: nothing should restart it.
    expect(await subgraph.health()).toEqual({ status: 200 });

    await redis.start();
    await expect.poll(async () => (await subgraph.ready()).status, { timeout: 10_000, interval: 200 }).toBe(200);
  });

  it("names the database when PostgreSQL does not answer", async () => {
    const unanswered = createPrismaClient(`postgresql://postgres@127.0.0.1:${silent.port}/watchflixx`);
    const subgraph = await start(unanswered, redis.url);
    const ready = await subgraph.ready();
    expect(ready).toEqual({
      status: 503,
      body: { status: "unavailable", service: "content", failing: ["database"], reason: "database unreachable" },
    });
    expect(await subgraph.health()).toEqual({ status: 200 });
    // The body names no host, port or driver message.
    expect(JSON.stringify(ready.body)).not.toContain(String(silent.port));
  });
});
