// The consumer side of the event bus. A consuming service processes every ServiceEvent of the types it
// `consumes` (microservices.config.json) at least once, in id order per aggregate, and the effect of each is
// committed in ONE transaction with its bookkeeping:
//
//   BEGIN
//     pg_try_advisory_xact_lock(<service>:<aggregate>)        one instance per aggregate at a time (order)
//     SELECT the aggregate's oldest event this service has not processed
//     UPDATE service_events SET processed_by = array_append(processed_by, <service>)
//       WHERE id = <id> AND NOT (<service> = ANY(processed_by))   the claim: 0 rows → someone else did it
//     <handler>(tx, event)                                     the service's own effect
//   COMMIT
//
// A crash anywhere before COMMIT leaves no effect and no mark, so the event is processed again on restart;
// after COMMIT the mark stops it from ever being applied twice. Two services appending to one row at once
// serialise on the row lock and re-check, so neither entry is lost.
//
// The table is the source of truth: the consumer polls it every few seconds, and wakes at once when the
// relay adds an entry to a Redis stream (`XREAD BLOCK` on every `watchflixx:events:*` stream). With Redis
// down it simply polls; a consumer that was down catches up from the table.
import type { Redis } from "ioredis";
import type { Prisma, PrismaClient } from "@watchflixx/db";
import { createLogger, type Logger } from "../logger.ts";
import { microservicesConfig, type ServiceName } from "../services.ts";
import { reportConsumerProgress } from "./progress.ts";
import { redisNamespace } from "../redis-keys.ts";
import { closeEventRedis, connectEventRedis, eventStreamKey } from "./streams.ts";
import { Waker } from "./waker.ts";
import { onEventRecorded, toRecordedEvent, type RecordedEvent, type ServiceEventRow } from "./outbox.ts";

export interface HandlerContext {
  /** Runs after the transaction commits (never if it rolls back): publish to pub/sub, wake other workers. */
  afterCommit(action: () => Promise<void> | void): void;
  logger: Logger;
}

/** Applies one event inside the consumer's transaction; throw to roll back and retry later. */
export type EventHandler = (tx: Prisma.TransactionClient, event: RecordedEvent, context: HandlerContext) => Promise<void>;

export interface ConsumerOptions {
  service: ServiceName;
  db: PrismaClient;
  /** Handlers for exactly the event types the service `consumes` in microservices.config.json. */
  handlers: Record<string, EventHandler>;
  /**
   * Where to listen for wake-ups; null or omitted: no Redis, so events recorded in this process (embedded mode,
   * every service in one process) wake the consumer directly, and the table is polled for the rest.
   */
  redisUrl?: string | null;
  /** Events claimed per round. Default 100. */
  batchSize?: number;
  /** The longest a new event waits when no Redis signal comes. Default 2000 ms. */
  pollIntervalMs?: number;
  /** Aggregates processed side by side (each one still strictly in order). Default 2. */
  concurrency?: number;
  logger?: Logger;
  /** Redis namespace of the streams it listens to. Default: this process's (REDIS_NAMESPACE, `watchflixx`). */
  namespace?: string;
  /** Interactive transaction timeout for one event. Default 30 s. */
  transactionTimeoutMs?: number;
}

export interface EventConsumer {
  readonly service: ServiceName;
  readonly eventTypes: readonly string[];
  /** Processes everything that is pending now; resolves with the number of events applied. */
  drain(): Promise<number>;
  stop(): Promise<void>;
}

type EventRow = ServiceEventRow;

/** Events older than this are assumed committed or gone: the scan floor may pass them. */
const SETTLE_SECONDS = 600;
const FLOOR_REFRESH_MS = 60_000;
const MAX_BACKOFF_MS = 60_000;
/** New streams are looked for at most this often (SCAN). */
const SCAN_EVERY_MS = 1_000;

/** The event types a service consumes, from microservices.config.json. */
export function consumedEventTypes(service: ServiceName): string[] {
  return [...microservicesConfig().services[service].consumes];
}

function checkHandlers(service: ServiceName, handlers: Record<string, EventHandler>): string[] {
  const consumes = consumedEventTypes(service);
  const missing = consumes.filter((type) => !(type in handlers));
  const extra = Object.keys(handlers).filter((type) => !consumes.includes(type));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(
      `${service} consumer: handlers must match "consumes" in microservices.config.json` +
        (missing.length ? `; no handler for ${missing.join(", ")}` : "") +
        (extra.length ? `; not listed in consumes: ${extra.join(", ")}` : ""),
    );
  }
  return consumes;
}

/**
 * Appends `service` to the event's processed_by unless it is there already; false when it was (someone else
 * processed it). Atomic: a concurrent append by another service waits for the row lock, re-reads the row and
 * appends to the updated array, so neither entry is lost.
 */
export async function markProcessed(tx: Prisma.TransactionClient, eventId: bigint, service: ServiceName): Promise<boolean> {
  const claimed = await tx.$executeRaw`
    UPDATE service_events
    SET processed_by = array_append(processed_by, ${service}), version = version + 1, synced_at = now()
    WHERE id = ${eventId} AND NOT (${service} = ANY(processed_by))`;
  return claimed > 0;
}

/**
 * Wakes the consumer when a relay adds an entry of a consumed type to any event stream. Streams are found
 * with SCAN and read from the last id seen, so nothing added between two reads is missed.
 */
class StreamSignal {
  readonly #redis: Redis;
  readonly #pattern: string;
  readonly #relevant: Set<string>;
  readonly #lastIds = new Map<string, string>();
  #lastScan = 0;

  constructor(redis: Redis, prefix: string, eventTypes: readonly string[]) {
    this.#redis = redis;
    this.#pattern = `${prefix}*`;
    this.#relevant = new Set(eventTypes);
  }

  get ready(): boolean {
    return this.#redis.status === "ready";
  }

  get streamCount(): number {
    return this.#lastIds.size;
  }

  /**
   * Finds streams created since the last look (at most one SCAN per `scanEveryMs`) and notes where each one
   * ends. True when there is a new one: its entries were added after the consumer last read the table.
   */
  async discover(scanEveryMs: number): Promise<boolean> {
    if (!this.ready || Date.now() - this.#lastScan < scanEveryMs) return false;
    let found = false;
    let cursor = "0";
    do {
      const reply = (await this.#redis.call("SCAN", cursor, "MATCH", this.#pattern, "TYPE", "stream", "COUNT", "1000")) as [
        string,
        string[],
      ];
      cursor = reply[0];
      for (const key of reply[1]) {
        if (this.#lastIds.has(key)) continue;
        const top = (await this.#redis.call("XREVRANGE", key, "+", "-", "COUNT", "1")) as [string, string[]][];
        this.#lastIds.set(key, top[0]?.[0] ?? "0-0");
        found = true;
      }
    } while (cursor !== "0");
    this.#lastScan = Date.now();
    return found;
  }

  /** Blocks up to `ms`; true when an entry of a consumed type arrived. Rejects when Redis is away. */
  async wait(ms: number): Promise<boolean> {
    const keys = [...this.#lastIds.keys()];
    const block = Math.max(1, Math.round(ms));
    let timer: NodeJS.Timeout | undefined;
    // A silent network partition would leave a blocking read hanging: give up a little after its own timeout.
    const guard = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error("XREAD did not return")), block + 5_000);
    });
    try {
      const reply = (await Promise.race([
        this.#redis.call("XREAD", "COUNT", "1000", "BLOCK", String(block), "STREAMS", ...keys, ...keys.map((k) => this.#lastIds.get(k) ?? "0-0")),
        guard,
      ])) as [string, [string, string[]][]][] | null;
      if (!reply) return false;
      let relevant = false;
      for (const [key, entries] of reply) {
        const last = entries.at(-1);
        if (last) this.#lastIds.set(key, last[0]);
        for (const [, fields] of entries) {
          const typeIndex = fields.indexOf("type");
          const type = typeIndex >= 0 ? fields[typeIndex + 1] : undefined;
          if (type === undefined || this.#relevant.has(type)) relevant = true;
        }
      }
      return relevant;
    } finally {
      clearTimeout(timer);
    }
  }
}

export function startConsumer(options: ConsumerOptions): EventConsumer {
  const { service, db, handlers } = options;
  const eventTypes = checkHandlers(service, handlers);
  const logger = options.logger ?? createLogger(service);
  const batchSize = options.batchSize ?? 100;
  const pollIntervalMs = options.pollIntervalMs ?? 2_000;
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const transactionTimeoutMs = options.transactionTimeoutMs ?? 30_000;
  const prefix = eventStreamKey("", options.namespace ?? redisNamespace());

  const waker = new Waker();
  const redis = options.redisUrl ? connectEventRedis(options.redisUrl, { name: `${service}-consumer`, logger }) : null;
  const signal = redis ? new StreamSignal(redis, prefix, eventTypes) : null;
  // Without Redis: a producer in this process nudges us, twice (its transaction commits just after recordEvent).
  let nudged = false;
  const nudgeTimers = new Set<NodeJS.Timeout>();
  const stopNudges = redis
    ? () => undefined
    : onEventRecorded(() => {
        for (const delay of [15, 120]) {
          const timer = setTimeout(() => {
            nudgeTimers.delete(timer);
            nudged = true;
            waker.wake();
          }, delay);
          nudgeTimers.add(timer);
        }
      });

  /** Every event with an id at or below the floor is known to be processed by this service. */
  let floor = 0n;
  let floorRefreshedAt = 0;
  /** Aggregates whose next event failed: not retried before the time given. */
  const backoff = new Map<string, { until: number; delayMs: number }>();
  let stopped = false;
  let draining: Promise<number> | null = null;

  reportConsumerProgress(service, { failing: null });

  async function refreshFloor(): Promise<void> {
    if (Date.now() - floorRefreshedAt < FLOOR_REFRESH_MS) return;
    const [settled] = await db.$queryRaw<{ id: bigint | null }[]>`
      SELECT max(id) AS id FROM service_events WHERE created_at < now() - make_interval(secs => ${SETTLE_SECONDS})`;
    const settledId = settled?.id ?? 0n;
    if (settledId > floor) {
      const [open] = await db.$queryRaw<{ id: bigint | null }[]>`
        SELECT min(id) AS id FROM service_events
        WHERE id > ${floor} AND id <= ${settledId} AND event_type = ANY(${eventTypes})
          AND NOT (${service} = ANY(processed_by))`;
      floor = open?.id != null ? open.id - 1n : settledId;
    }
    floorRefreshedAt = Date.now();
  }

  type Outcome = { kind: "applied"; id: bigint; after: (() => Promise<void> | void)[] } | { kind: "none" };

  async function applyNext(aggregateType: string, aggregateId: string): Promise<Outcome> {
    const after: (() => Promise<void> | void)[] = [];
    return db.$transaction(
      async (tx) => {
        const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`
          SELECT pg_try_advisory_xact_lock(hashtextextended(${`${service}:${aggregateType}:${aggregateId}`}, 0)) AS locked`;
        if (!lock?.locked) return { kind: "none" } as const;
        const [row] = await tx.$queryRaw<EventRow[]>`
          SELECT id, event_type, service, aggregate_type, aggregate_id, payload, created_at FROM service_events
          WHERE aggregate_type = ${aggregateType} AND aggregate_id = ${aggregateId}
            AND event_type = ANY(${eventTypes}) AND NOT (${service} = ANY(processed_by))
          ORDER BY id LIMIT 1`;
        if (!row) return { kind: "none" } as const;
        if (!(await markProcessed(tx, row.id, service))) return { kind: "none" } as const;
        const handler = handlers[row.event_type];
        if (!handler) throw new Error(`${service} consumer: no handler for ${row.event_type}`);
        await handler(tx, toRecordedEvent(row), { afterCommit: (action) => after.push(action), logger });
        return { kind: "applied", id: row.id, after } as const;
      },
      { maxWait: 10_000, timeout: transactionTimeoutMs },
    );
  }

  /** Applies an aggregate's pending events in order, up to `limit`; stops at the first failure. */
  async function processAggregate(aggregateType: string, aggregateId: string, limit: number): Promise<number> {
    const key = `${aggregateType}:${aggregateId}`;
    let applied = 0;
    while (applied < limit && !stopped) {
      let outcome: Outcome;
      try {
        outcome = await applyNext(aggregateType, aggregateId);
      } catch (error) {
        const delayMs = Math.min((backoff.get(key)?.delayMs ?? 500) * 2, MAX_BACKOFF_MS);
        backoff.set(key, { until: Date.now() + delayMs, delayMs });
        const reason = error instanceof Error ? error.message : String(error);
        reportConsumerProgress(service, { failing: `${key}: ${reason}` });
        logger.error(`event consumer: ${key} failed; retrying in ${Math.round(delayMs / 1000)} s`, error);
        break;
      }
      if (outcome.kind === "none") break;
      applied += 1;
      if (backoff.delete(key) && backoff.size === 0) reportConsumerProgress(service, { failing: null });
      reportConsumerProgress(service, { lastProcessedEventId: outcome.id, lastProcessedAt: new Date() });
      for (const action of outcome.after) {
        try {
          await action();
        } catch (error) {
          logger.warn(`event consumer: after-commit action of event ${outcome.id} failed`, error);
        }
      }
    }
    return applied;
  }

  async function drainOnce(): Promise<number> {
    await refreshFloor();
    let total = 0;
    for (;;) {
      if (stopped) return total;
      const now = Date.now();
      const waiting = [...backoff].filter(([, entry]) => entry.until > now).map(([key]) => key);
      const candidates = await db.$queryRaw<{ aggregate_type: string; aggregate_id: string }[]>`
        SELECT aggregate_type, aggregate_id FROM service_events
        WHERE id > ${floor} AND event_type = ANY(${eventTypes}) AND NOT (${service} = ANY(processed_by))
          AND NOT ((aggregate_type || ':' || aggregate_id) = ANY(${waiting}))
        ORDER BY id LIMIT ${batchSize}`;
      if (candidates.length === 0) return total;
      // Aggregates in the order of their oldest pending event, with how many of theirs are in this round.
      const groups = new Map<string, { type: string; id: string; count: number }>();
      for (const row of candidates) {
        const key = `${row.aggregate_type}:${row.aggregate_id}`;
        const group = groups.get(key);
        if (group) group.count += 1;
        else groups.set(key, { type: row.aggregate_type, id: row.aggregate_id, count: 1 });
      }
      const queue = [...groups.values()];
      let round = 0;
      await Promise.all(
        Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
          for (let group = queue.shift(); group && !stopped; group = queue.shift()) {
            round += await processAggregate(group.type, group.id, group.count);
          }
        }),
      );
      total += round;
      // Nothing moved: what is left is held by another instance or backing off; the next poll retries.
      if (round === 0) return total;
    }
  }

  async function drain(): Promise<number> {
    if (draining) {
      await draining.catch(() => undefined);
    }
    draining = drainOnce().finally(() => {
      draining = null;
    });
    return draining;
  }

  const loop = (async () => {
    while (!stopped) {
      try {
        await signal?.discover(SCAN_EVERY_MS).catch(() => undefined);
        await drain();
      } catch (error) {
        logger.error("event consumer: round failed (database unavailable?)", error);
      }
      // Wait for a signal, at most until the next poll of the table.
      const deadline = Date.now() + pollIntervalMs;
      while (!stopped && Date.now() < deadline) {
        const remaining = deadline - Date.now();
        try {
          if (!signal?.ready) {
            await waker.sleep(Math.min(remaining, 1_000));
            if (nudged) {
              nudged = false;
              break;
            }
            continue;
          }
          if (await signal.discover(SCAN_EVERY_MS)) break;
          if (signal.streamCount === 0) {
            await waker.sleep(Math.min(remaining, SCAN_EVERY_MS));
            continue;
          }
          if (await signal.wait(Math.min(remaining, 5_000))) break;
        } catch {
          if (!stopped) await waker.sleep(Math.min(deadline - Date.now(), 1_000));
        }
      }
    }
  })();

  return {
    service,
    eventTypes,
    drain,
    async stop() {
      stopped = true;
      stopNudges();
      for (const timer of nudgeTimers) clearTimeout(timer);
      waker.wake();
      // Ends a blocking XREAD at once.
      if (redis) redis.disconnect();
      await loop;
      await draining?.catch(() => undefined);
      if (redis) await closeEventRedis(redis);
    },
  };
}

/** How a subgraph's options set its consumer: `false` leaves it off (a test that drives the handlers itself). */
export type SubgraphConsumerSetting = false | { redisUrl?: string | null; pollIntervalMs?: number; batchSize?: number };

/**
 * A subgraph's consumer, started from its `onStart`: woken through the bus's Redis unless the setting names
 * another (null: none); null when the setting turns it off.
 */
export function startSubgraphConsumer(
  service: ServiceName,
  handlers: Record<string, EventHandler>,
  deps: { db: PrismaClient; bus: { eventRedisUrl: string | null }; logger: Logger },
  setting: SubgraphConsumerSetting | undefined,
): EventConsumer | null {
  if (setting === false) return null;
  return startConsumer({
    service,
    db: deps.db,
    handlers,
    redisUrl: setting?.redisUrl === undefined ? deps.bus.eventRedisUrl : setting.redisUrl,
    pollIntervalMs: setting?.pollIntervalMs,
    batchSize: setting?.batchSize,
    logger: deps.logger,
  });
}
