// The event bus end to end on the real PostgreSQL and a private redis-server: outbox → relay → Redis stream
// → consumer, processed-by bookkeeping, per-aggregate order with two instances of one consumer, and Redis
// going away for 10 seconds while events are written.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import type { PrismaClient } from "@watchflixx/db";
import {
  eventPayload,
  connectEventRedis,
  closeEventRedis,
  createLogger,
  markProcessed,
  recordEvent,
  startConsumer,
  startEventRelay,
  type EventConsumer,
  type EventHandler,
  type EventRelay,
} from "../src/index.ts";
import { startTestRedis, type TestRedisServer } from "../src/testing/redis.ts";

const logger = createLogger("events-test", "error");
/** For the test that makes a handler fail on purpose: its error lines are expected. */
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const WAIT = { timeout: 45_000, interval: 100 };

let database: TestDatabase;
let db: PrismaClient;
let redisServer: TestRedisServer;
let inspector: Redis;
const running: { stop(): Promise<void> }[] = [];

/** What the test consumer does: one row per application, so a double application shows as two rows. */
const recordEffect: EventHandler = async (tx, event) => {
  const seq = eventPayload(event, "EpisodeAdded").episodeNumber;
  await tx.$executeRaw`
    INSERT INTO test_effects (event_id, aggregate_id, seq) VALUES (${event.id}, ${event.aggregateId}, ${seq})`;
};
// The notification service consumes these four types (microservices.config.json); the test plays that service.
const handlers = { EpisodeAdded: recordEffect, PaymentFailed: recordEffect, SubscriptionRenewed: recordEffect, PartyWatchStarted: recordEffect };

function consumer(
  options: { redisUrl?: string | null; pollIntervalMs?: number; handlers?: Record<string, EventHandler>; logger?: typeof quiet } = {},
): EventConsumer {
  const started = startConsumer({
    service: "notification",
    db,
    handlers: options.handlers ?? handlers,
    redisUrl: options.redisUrl ?? null,
    pollIntervalMs: options.pollIntervalMs ?? 500,
    batchSize: 25,
    logger: options.logger ?? logger,
  });
  running.push(started);
  return started;
}

function relay(): EventRelay {
  const redis = connectEventRedis(redisServer.url, { name: "content-relay", logger });
  const started = startEventRelay({ db, redis, service: "content", logger, pollIntervalMs: 200 });
  running.push({
    async stop() {
      await started.stop();
      await closeEventRedis(redis);
    },
  });
  return started;
}

let nextSeq = 0;
/** Writes events the way a producer does: each in the transaction of its change. */
async function writeEvents(count: number, aggregates: number): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    const seq = nextSeq++;
    await db.$transaction(async (tx) => {
      await recordEvent(tx, {
        eventType: "EpisodeAdded",
        service: "content",
        aggregateType: "content",
        aggregateId: `title-${seq % aggregates}`,
        // The sequence number travels as the episode's number.
        payload: { contentId: `title-${seq % aggregates}`, contentTitle: "Test", episodeId: `episode-${seq}`, episodeNumber: seq },
      });
    });
  }
}

async function effects(): Promise<{ event_id: bigint; aggregate_id: string; seq: number; applied: bigint }[]> {
  return db.$queryRaw`SELECT event_id, aggregate_id, seq, applied FROM test_effects ORDER BY applied`;
}

async function unprocessed(): Promise<number> {
  const [row] = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM service_events WHERE NOT ('notification' = ANY(processed_by))`;
  return row?.n ?? -1;
}

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  await db.$executeRawUnsafe(
    "CREATE TABLE test_effects (applied bigserial PRIMARY KEY, event_id bigint NOT NULL, aggregate_id text NOT NULL, seq int NOT NULL)",
  );
  redisServer = await startTestRedis();
  inspector = new Redis(redisServer.url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 200 });
  inspector.on("error", () => undefined);
  await inspector.connect();
});

afterEach(async () => {
  for (const item of running.splice(0).reverse()) await item.stop();
  await db.$executeRawUnsafe("TRUNCATE test_effects, service_events");
  if (!redisServer.running) await redisServer.start();
  await inspector.flushall();
});

afterAll(async () => {
  inspector?.disconnect();
  await redisServer?.stop();
  await database?.drop();
});

describe("event bus", () => {
  it("relays committed events to watchflixx:events:<aggregate> and wakes the consumer through Redis", async () => {
    // Polling the table once a minute: only the Redis signal can make this consumer react in time.
    consumer({ redisUrl: redisServer.url, pollIntervalMs: 60_000 });
    relay();
    await writeEvents(5, 2);

    await expect.poll(async () => (await effects()).length, WAIT).toBe(5);
    expect(await inspector.xlen("watchflixx:events:content")).toBe(5);
    const [[, fields] = ["", []]] = await inspector.xrange("watchflixx:events:content", "-", "+", "COUNT", 1);
    expect(fields).toEqual(expect.arrayContaining(["type", "EpisodeAdded", "service", "content", "aggregateId", "title-0"]));
    const events = await db.serviceEvent.findMany({ orderBy: { id: "asc" } });
    expect(events.map((event) => event.processedBy)).toEqual(Array(5).fill(["notification"]));
  });

  it("applies each event once and in order per aggregate with two instances of one consumer", async () => {
    await writeEvents(120, 6);
    consumer();
    consumer();
    await expect.poll(unprocessed, WAIT).toBe(0);

    const applied = await effects();
    expect(applied).toHaveLength(120);
    expect(new Set(applied.map((row) => row.event_id)).size).toBe(120);
    for (let aggregate = 0; aggregate < 6; aggregate += 1) {
      const seqs = applied.filter((row) => row.aggregate_id === `title-${aggregate}`).map((row) => row.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
  });

  it("keeps both entries when two services mark one event at the same moment", async () => {
    await writeEvents(1, 1);
    const [event] = await db.serviceEvent.findMany();
    if (!event) throw new Error("no event");
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
    // The first service marks the event and keeps its transaction open while the second one marks it too.
    let firstMarked!: () => void;
    const marked = new Promise<void>((resolve) => (firstMarked = resolve));
    const first = db.$transaction(async (tx) => {
      expect(await markProcessed(tx, event.id, "analytics")).toBe(true);
      firstMarked();
      await firstHolds;
    });
    await marked;
    const second = db.$transaction(async (tx) => markProcessed(tx, event.id, "notification"));
    // The second UPDATE is now waiting on the first one's row lock.
    await expect
      .poll(async () => {
        const [row] = await db.$queryRaw<{ waiting: number }[]>`
          SELECT count(*)::int AS waiting FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%array_append%'`;
        return row?.waiting;
      }, WAIT)
      .toBe(1);
    releaseFirst();
    await first;
    expect(await second).toBe(true);
    const row = await db.serviceEvent.findUniqueOrThrow({ where: { id: event.id } });
    expect([...row.processedBy].sort()).toEqual(["analytics", "notification"]);
    // And a second mark by the same service is refused: that is what makes re-delivery harmless.
    expect(await db.$transaction((tx) => markProcessed(tx, event.id, "analytics"))).toBe(false);
  });

  it("retries an event whose handler failed, without applying it twice or overtaking it", async () => {
    let failuresLeft = 2;
    const flaky: EventHandler = async (tx, event, context) => {
      await recordEffect(tx, event, context);
      if (eventPayload(event, "EpisodeAdded").episodeNumber === nextSeq - 3 && failuresLeft-- > 0) throw new Error("downstream hiccup");
    };
    await writeEvents(3, 1);
    consumer({ handlers: { EpisodeAdded: flaky, PaymentFailed: flaky, SubscriptionRenewed: flaky, PartyWatchStarted: flaky }, logger: quiet });
    await expect.poll(unprocessed, WAIT).toBe(0);
    const applied = await effects();
    expect(applied.map((row) => row.seq)).toEqual([nextSeq - 3, nextSeq - 2, nextSeq - 1]);
  });

  it("loses nothing while Redis is down for 10 seconds, and the streams catch up when it returns", async () => {
    consumer({ redisUrl: redisServer.url, pollIntervalMs: 1_000 });
    relay();
    await writeEvents(4, 2);
    await expect.poll(async () => (await effects()).length, WAIT).toBe(4);

    await redisServer.stop();
    const outageEnds = Date.now() + 10_000;
    let written = 0;
    while (Date.now() < outageEnds) {
      await writeEvents(1, 2);
      written += 1;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await redisServer.start();

    await expect.poll(unprocessed, WAIT).toBe(0);
    const applied = await effects();
    expect(applied).toHaveLength(4 + written);
    expect(new Set(applied.map((row) => row.event_id)).size).toBe(4 + written);
    // The restarted Redis is empty; the relay re-sends what it could not deliver (the outage's events).
    await expect.poll(() => inspector.xlen("watchflixx:events:content"), WAIT).toBeGreaterThanOrEqual(written);
  });
});
