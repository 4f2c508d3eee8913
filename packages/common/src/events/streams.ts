// The Redis side of the event bus: one Redis Stream per aggregate type, `<namespace>:events:<aggregate>`
// (`XLEN watchflixx:events:user`, `XRANGE watchflixx:events:content - +` with the default namespace; see
// ../redis-keys.ts). Entries are copies of committed
// ServiceEvent rows; PostgreSQL stays the source of truth, so Redis being away delays consumers (they poll)
// but never loses an event.
import { Redis } from "ioredis";
import type { Logger } from "../logger.ts";
import { DEFAULT_REDIS_NAMESPACE, redisKeyIn, redisNamespace } from "../redis-keys.ts";
import type { RecordedEvent } from "./outbox.ts";

/** The streams' prefix in the default namespace. */
export const EVENT_STREAM_PREFIX = `${redisKeyIn(DEFAULT_REDIS_NAMESPACE, "events")}:`;
/** Streams are trimmed to about this many entries each (`XADD ... MAXLEN ~`): they are a live view, not the log. */
export const EVENT_STREAM_MAX_LENGTH = 10_000;
/** How long a relayed event id is remembered in Redis, so that a second relay of it adds no second entry. */
export const EVENT_DEDUPE_SECONDS = 600;
/** An aggregate's stream: `<namespace>:events:<aggregate>` (default namespace: this process's). */
export function eventStreamKey(aggregateType: string, namespace = redisNamespace()): string {
  return redisKeyIn(namespace, "events", aggregateType);
}

/** Where a relayed event id is remembered: `<namespace>:relayed:<id>` (string keys, apart from the streams). */
export function eventDedupeKey(eventId: bigint | string, namespace = redisNamespace()): string {
  return redisKeyIn(namespace, "relayed", eventId);
}

export interface PublishOptions {
  /** Redis namespace of the streams and dedupe keys. Default: this process's (REDIS_NAMESPACE). */
  namespace?: string;
  maxLength?: number;
  dedupeSeconds?: number;
}

// Adds the entry only if this event id was not relayed recently (several relay instances, restarts and
// late-commit rescans may offer the same event twice); one round trip per event, atomic in Redis.
const RELAY_SCRIPT = `
if redis.call('SET', KEYS[2], '1', 'NX', 'EX', tonumber(ARGV[2])) then
  return redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', unpack(ARGV, 3))
end
return false`;

/**
 * XADDs committed events to their aggregate's stream (after the commit: never inside the transaction).
 * Returns how many entries were added (events already relayed are skipped). Rejects when Redis is away;
 * the caller keeps the events and tries again.
 */
export async function publishEvents(redis: Redis, events: readonly RecordedEvent[], options: PublishOptions = {}): Promise<number> {
  if (events.length === 0) return 0;
  const namespace = options.namespace ?? redisNamespace();
  const maxLength = String(options.maxLength ?? EVENT_STREAM_MAX_LENGTH);
  const dedupeSeconds = String(options.dedupeSeconds ?? EVENT_DEDUPE_SECONDS);
  const pipeline = redis.pipeline();
  for (const event of events) {
    pipeline.eval(
      RELAY_SCRIPT,
      2,
      eventStreamKey(event.aggregateType, namespace),
      eventDedupeKey(event.id, namespace),
      maxLength,
      dedupeSeconds,
      "id",
      String(event.id),
      "type",
      event.eventType,
      "service",
      event.service,
      "aggregateId",
      event.aggregateId,
      "createdAt",
      event.createdAt.toISOString(),
      "payload",
      JSON.stringify(event.payload),
    );
  }
  const results = (await pipeline.exec()) ?? [];
  let added = 0;
  for (const [error, result] of results) {
    if (error) throw error;
    if (result) added += 1;
  }
  return added;
}

export interface EventRedisOptions {
  /** Shown in `CLIENT LIST`. */
  name: string;
  logger: Logger;
  /** What keeps working while Redis is away, for the warning. Default: the event bus's PostgreSQL polling. */
  whileDown?: string;
  /** Gives up a command after this long (default: none). */
  commandTimeoutMs?: number;
}

/**
 * A Redis connection for the event bus. It fails fast while Redis is unreachable (no offline queue: the
 * database is the fallback) and reconnects on its own; the outage and the recovery are logged once each.
 */
export function connectEventRedis(url: string, options: EventRedisOptions): Redis {
  const redis = new Redis(url, {
    connectionName: options.name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt: number) => Math.min(attempt * 250, 2_000),
    ...(options.commandTimeoutMs ? { commandTimeout: options.commandTimeoutMs } : {}),
  });
  let down = false;
  redis.on("error", (error: Error) => {
    if (down) return;
    down = true;
    options.logger.warn(`${options.name}: Redis unavailable (${error.message}); ${options.whileDown ?? "events still flow through PostgreSQL polling"}`);
  });
  redis.on("ready", () => {
    if (!down) return;
    down = false;
    options.logger.info(`${options.name}: Redis is back`);
  });
  return redis;
}

/** Closes a connection without waiting for a server that may be gone. */
export async function closeEventRedis(redis: Redis): Promise<void> {
  if (redis.status === "ready") {
    await redis.quit().catch(() => redis.disconnect());
  } else {
    redis.disconnect();
  }
}
