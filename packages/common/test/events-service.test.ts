// What startSubgraph does for the event bus when asked (runSubgraph asks by default): the heartbeat row in
// service_status, and the relay of the service's own committed events to its Redis streams.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { Field, ObjectType, Query, Resolver } from "type-graphql";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import {
  baseConfigSchema,
  buildFederatedSchema,
  createLogger,
  parseConfig,
  readServiceStatuses,
  recordEvent,
  schemaHash,
  startSubgraph,
  type RunningSubgraph,
} from "../src/index.ts";
import { startTestRedis, type TestRedisServer } from "../src/testing/redis.ts";

@ObjectType("Ping")
class Ping {
  @Field(() => String) pong!: string;
}

@Resolver()
class PingResolver {
  @Query(() => Ping)
  ping(): Ping {
    return { pong: "pong" };
  }
}

const WAIT = { timeout: 45_000, interval: 100 };

let database: TestDatabase;
let redisServer: TestRedisServer;
let inspector: Redis;
let server: RunningSubgraph | undefined;
let sdl: string;

beforeAll(async () => {
  database = await createTestDatabase();
  redisServer = await startTestRedis();
  inspector = new Redis(redisServer.url);
  const built = await buildFederatedSchema({ resolvers: [PingResolver] });
  sdl = built.sdl;
  server = await startSubgraph(
    { name: "content", schema: built.schema, sdl, createLoaders: () => ({}) },
    {
      db: database.db,
      config: parseConfig(baseConfigSchema, { NODE_ENV: "test", REDIS_URL: redisServer.url }),
      port: 0,
      host: "127.0.0.1",
      logger: createLogger("content", "error"),
      heartbeat: { intervalMs: 200 },
      eventRelay: { pollIntervalMs: 100 },
    },
  );
});

afterAll(async () => {
  await server?.stop();
  inspector?.disconnect();
  await redisServer?.stop();
  await database?.drop();
});

describe("a subgraph on the event bus", () => {
  it("beats into service_status with its schema hash", async () => {
    await expect
      .poll(() => database.db.serviceStatus.findUnique({ where: { service: "content" } }), WAIT)
      .toMatchObject({ status: "running", schemaHash: schemaHash(sdl) });
  });

  it("relays the events it records to watchflixx:events:<aggregate> without the producer doing anything more", async () => {
    await database.db.$transaction(async (tx) => {
      await recordEvent(tx, { eventType: "ContentPublished", service: "content", aggregateType: "content", aggregateId: "c-1", payload: { contentId: "c-1", title: "C", type: "SERIES", genres: [], maturityRating: "PG", publishedAt: new Date().toISOString() } });
      await recordEvent(tx, { eventType: "EpisodeAdded", service: "content", aggregateType: "content", aggregateId: "c-1", payload: { contentId: "c-1", contentTitle: "C", episodeId: "e-1" } });
    });
    await expect.poll(() => inspector.xlen("watchflixx:events:content"), WAIT).toBe(2);
    const entries = await inspector.xrange("watchflixx:events:content", "-", "+");
    expect(entries.map(([, fields]) => fields[fields.indexOf("type") + 1])).toEqual(["ContentPublished", "EpisodeAdded"]);
  });

  it("reports each consumer's lag from the table, and a clean stop", async () => {
    const statuses = await readServiceStatuses(database.db);
    const notification = statuses.find((status) => status.service === "notification");
    // Nobody consumed the EpisodeAdded above: notification is one event behind, and never beat.
    expect(notification).toMatchObject({ health: "UNKNOWN", unprocessedEvents: 1 });
    expect(notification?.lagSeconds).toBeGreaterThan(0);
    expect(statuses.find((status) => status.service === "content")).toMatchObject({ health: "RUNNING", unprocessedEvents: 0, lagSeconds: 0 });

    await server?.stop();
    server = undefined;
    expect(await database.db.serviceStatus.findUnique({ where: { service: "content" } })).toMatchObject({ status: "stopped" });
    expect((await readServiceStatuses(database.db)).find((status) => status.service === "content")?.health).toBe("STOPPED");
  });
});
