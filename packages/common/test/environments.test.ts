// Two environments on one Redis (the machine's own, as two copies of WatchFlixx on one laptop would share
// it): each has its database and its Redis namespace. Their event ids are the same numbers (both databases
// start from the same template), which is what used to collide: the first environment's relay dedupe key
// `watchflixx:relayed:<id>` stopped the second one's event from ever reaching its stream.
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import {
  eventPayload,
  closeEventRedis,
  connectEventRedis,
  createLogger,
  eventDedupeKey,
  eventStreamKey,
  recordEvent,
  redisKeyIn,
  startConsumer,
  startEventRelay,
  type EventConsumer,
  type EventHandler,
} from "../src/index.ts";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const logger = createLogger("environments-test", "error");
const WAIT = { timeout: 30_000, interval: 100 };
// Random per run: other runs and other engineers' tests use the same Redis.
const run = randomUUID().slice(0, 8);

interface Environment {
  name: string;
  namespace: string;
  database: TestDatabase;
  seen: string[];
  stop(): Promise<void>;
}

async function startEnvironment(name: string): Promise<Environment> {
  const namespace = `wf-test-${run}-${name}`;
  const database = await createTestDatabase();
  const seen: string[] = [];
  const note: EventHandler = async (_tx, event) => {
    const payload = eventPayload(event, "EpisodeAdded");
    seen.push(`${payload.contentTitle}${payload.episodeNumber}`);
  };
  const redis = connectEventRedis(REDIS_URL, { name: `${name}-relay`, logger });
  const relay = startEventRelay({ db: database.db, redis, service: "content", logger, pollIntervalMs: 100, namespace });
  const consumer: EventConsumer = startConsumer({
    service: "notification",
    db: database.db,
    handlers: { EpisodeAdded: note, PaymentFailed: note, SubscriptionRenewed: note, PartyWatchStarted: note },
    redisUrl: REDIS_URL,
    pollIntervalMs: 60_000,
    namespace,
    logger,
  });
  return {
    name,
    namespace,
    database,
    seen,
    async stop() {
      await consumer.stop();
      await relay.stop();
      await closeEventRedis(redis);
      await database.drop();
    },
  };
}

async function writeEvents(environment: Environment, count: number): Promise<bigint[]> {
  const ids: bigint[] = [];
  for (let n = 0; n < count; n += 1) {
    await environment.database.db.$transaction(async (tx) => {
      await recordEvent(tx, { eventType: "EpisodeAdded", service: "content", aggregateType: "content", aggregateId: "title-1", payload: { contentId: "title-1", contentTitle: environment.name, episodeId: `episode-${n}`, episodeNumber: n } });
    });
  }
  const rows = await environment.database.db.$queryRaw<{ id: bigint }[]>`SELECT id FROM service_events ORDER BY id`;
  for (const row of rows) ids.push(row.id);
  return ids;
}

describe("two environments sharing one Redis", () => {
  let inspector: Redis;
  let a: Environment;
  let b: Environment;

  beforeAll(async () => {
    inspector = new Redis(REDIS_URL);
    [a, b] = await Promise.all([startEnvironment("a"), startEnvironment("b")]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    const keys = await inspector.keys(`wf-test-${run}-*`);
    if (keys.length > 0) await inspector.del(...keys);
    inspector.disconnect();
  });

  it("each relays its own events to its own streams and its consumers see only its own, with the same event ids", async () => {
    const idsA = await writeEvents(a, 3);
    const idsB = await writeEvents(b, 3);
    expect(idsB).toEqual(idsA);

    for (const environment of [a, b]) {
      const stream = eventStreamKey("content", environment.namespace);
      expect(stream).toBe(`wf-test-${run}-${environment.name}:events:content`);
      await expect.poll(() => inspector.xlen(stream), WAIT).toBe(3);
      const entries = await inspector.xrange(stream, "-", "+");
      const payloads = entries.map(([, fields]) => JSON.parse(fields[fields.indexOf("payload") + 1] ?? "{}") as { contentTitle: string });
      expect(payloads.map((payload) => payload.contentTitle)).toEqual([environment.name, environment.name, environment.name]);
      for (const id of idsA) expect(await inspector.exists(eventDedupeKey(id, environment.namespace))).toBe(1);
      await expect.poll(() => [...environment.seen].sort(), WAIT).toEqual([0, 1, 2].map((n) => `${environment.name}${n}`));
    }
  });

  it("pub/sub channels carry the namespace too: a message in one environment is not heard in the other", async () => {
    const listener = new Redis(REDIS_URL);
    const heard: string[] = [];
    listener.on("message", (channel: string) => heard.push(channel));
    await listener.subscribe(redisKeyIn(b.namespace, "sessions", "revocations"));
    await inspector.publish(redisKeyIn(a.namespace, "sessions", "revocations"), "{}");
    await inspector.publish(redisKeyIn(b.namespace, "sessions", "revocations"), "{}");
    await expect.poll(() => heard, WAIT).toEqual([`wf-test-${run}-b:sessions:revocations`]);
    listener.disconnect();
  });
});
