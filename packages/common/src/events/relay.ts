// The event relay: runs inside every producing service's process (started by startSubgraph when asked; on by
// default through runSubgraph) and copies the service's committed ServiceEvent rows to the Redis streams
// `<namespace>:events:<aggregate>`, so that producers only ever call `recordEvent` inside their transaction.
//
// It tails the table by id. Ids come from a sequence and are taken before commit, so a transaction that
// commits late can surface below the cursor: every few seconds the relay also rescans the last minutes and
// relays what it has not relayed yet. Entries are de-duplicated in Redis by event id, so several instances of
// one service, restarts and rescans never add an event twice. None of this is needed for correctness —
// consumers read the table — it is what makes consumers wake at once and what operators watch.
import type { Redis } from "ioredis";
import type { PrismaClient } from "@watchflixx/db";
import type { Logger } from "../logger.ts";
import type { ServiceName } from "../services.ts";
import { onEventRecorded, toRecordedEvent, type ServiceEventRow } from "./outbox.ts";
import { redisNamespace } from "../redis-keys.ts";
import { publishEvents } from "./streams.ts";
import { Waker } from "./waker.ts";

export interface EventRelayOptions {
  db: PrismaClient;
  redis: Redis;
  service: ServiceName;
  logger: Logger;
  /** How often the table is tailed when nothing nudges the relay. Default 500 ms. */
  pollIntervalMs?: number;
  /** How far back the late-commit rescan (and the first pass after start) looks. Default 120 s. */
  lookbackSeconds?: number;
  /** Redis namespace of the streams and dedupe keys. Default: this process's (REDIS_NAMESPACE, `watchflixx`). */
  namespace?: string;
  batchSize?: number;
}

export interface EventRelay {
  /** One pass now; resolves with the number of events newly added to streams. */
  relayNow(): Promise<number>;
  stop(): Promise<void>;
}

type EventRow = ServiceEventRow;

const RESCAN_EVERY_MS = 5_000;

export function startEventRelay(options: EventRelayOptions): EventRelay {
  const { db, redis, service, logger } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  const lookbackSeconds = options.lookbackSeconds ?? 120;
  const batchSize = options.batchSize ?? 500;
  const namespace = options.namespace ?? redisNamespace();
  const waker = new Waker();
  /** Ids relayed lately (id → when), so the rescan does not offer them again. */
  const relayed = new Map<bigint, number>();
  let cursor: bigint | null = null;
  let lastRescan = 0;
  let stopped = false;
  let pass: Promise<number> | null = null;

  async function startingCursor(): Promise<bigint> {
    // Start a little in the past: events a previous instance may not have relayed before it stopped.
    const [row] = await db.$queryRaw<{ id: bigint | null }[]>`
      SELECT max(id) AS id FROM service_events
      WHERE service = ${service} AND created_at < now() - make_interval(secs => ${lookbackSeconds})`;
    return row?.id ?? 0n;
  }

  async function onePass(): Promise<number> {
    // Without Redis there is nowhere to relay to; the events wait in the table (consumers poll it).
    if (redis.status !== "ready") return 0;
    cursor ??= await startingCursor();
    const fresh = await db.$queryRaw<EventRow[]>`
      SELECT id, event_type, service, aggregate_type, aggregate_id, payload, created_at FROM service_events
      WHERE service = ${service} AND id > ${cursor}
      ORDER BY id LIMIT ${batchSize}`;
    let late: EventRow[] = [];
    const now = Date.now();
    if (now - lastRescan >= RESCAN_EVERY_MS) {
      const recent = await db.$queryRaw<EventRow[]>`
        SELECT id, event_type, service, aggregate_type, aggregate_id, payload, created_at FROM service_events
        WHERE service = ${service} AND id <= ${cursor} AND created_at > now() - make_interval(secs => ${lookbackSeconds})
        ORDER BY id`;
      late = recent.filter((row) => !relayed.has(row.id));
    }
    const batch = [...late, ...fresh];
    const added = await publishEvents(redis, batch.map(toRecordedEvent), { namespace });
    // Only now, with Redis having taken them, does the relay move on.
    if (now - lastRescan >= RESCAN_EVERY_MS) lastRescan = now;
    for (const row of batch) relayed.set(row.id, now);
    const last = fresh.at(-1);
    if (last) cursor = last.id;
    const forgetBefore = now - 2 * lookbackSeconds * 1000;
    for (const [id, at] of relayed) {
      if (at >= forgetBefore) break;
      relayed.delete(id);
    }
    if (fresh.length === batchSize) waker.wake();
    return added;
  }

  let failing = false;
  async function runPass(): Promise<number> {
    pass ??= onePass().finally(() => {
      pass = null;
    });
    try {
      const added = await pass;
      if (failing) logger.info("event relay: recovered");
      failing = false;
      return added;
    } catch (error) {
      if (!failing) logger.warn("event relay: could not relay events; will retry", error instanceof Error ? error.message : error);
      failing = true;
      return 0;
    }
  }

  // The producer's transaction commits just after recordEvent: look twice shortly after a nudge.
  const nudgeTimers = new Set<NodeJS.Timeout>();
  const unsubscribe = onEventRecorded((producer) => {
    if (producer !== service || stopped) return;
    for (const delay of [15, 120]) {
      const timer = setTimeout(() => {
        nudgeTimers.delete(timer);
        waker.wake();
      }, delay);
      nudgeTimers.add(timer);
    }
  });

  const loop = (async () => {
    while (!stopped) {
      await runPass();
      if (stopped) break;
      await waker.sleep(pollIntervalMs);
    }
  })();

  return {
    relayNow: runPass,
    async stop() {
      stopped = true;
      unsubscribe();
      for (const timer of nudgeTimers) clearTimeout(timer);
      waker.wake();
      await loop;
    },
  };
}
