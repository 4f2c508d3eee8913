// The one place that decides how the processes of an environment talk to one another besides PostgreSQL:
// through Redis (every deployment: several processes, several instances), or in memory when every service runs
// in one Node.js process (embedded mode on a machine without Redis, `scripts/embedded.ts`).
//
// What goes through the bus: GraphQL subscription events (pub/sub), plain announcements on named channels (the
// subscription and session revocations the gateway listens to), rate-limit counts, the readiness probe's Redis
// check, and the event bus's wake-ups (the relay to Redis streams, or, in memory, `onEventRecorded` nudges that
// wake the consumers of this process directly; consumers poll the table either way).
import { EventEmitter, once } from "node:events";
import { PubSub } from "graphql-subscriptions";
import { RedisPubSub } from "graphql-redis-subscriptions";
import { Redis } from "ioredis";
import type { Logger } from "./logger.ts";
import { RateLimits, type RateLimitOverrides } from "./rate-limits.ts";
import { redisProbe, type DependencyCheck } from "./readiness.ts";
import { closeEventRedis, connectEventRedis } from "./events/streams.ts";
import { memoryProfileAccess, PROFILE_ACCESS_TIMEOUT_MS, redisProfileAccess, type ProfileAccessCache } from "./profile-access.ts";

/** What subscription resolvers and the services that publish to them use: `publish` and `asyncIterableIterator`. */
export interface SubscriptionPubSub {
  publish(topic: string, payload: unknown): Promise<void>;
  asyncIterableIterator<T>(topics: string | string[]): AsyncIterableIterator<T>;
  /** A plain message on a named channel, read by `Bus.listen` (revocations), not through GraphQL. */
  announce(channel: string, message: string): Promise<void>;
  close(): Promise<void>;
}

export interface Listening {
  close(): Promise<void>;
}

export interface Bus {
  readonly kind: "redis" | "in-process";
  /** Pub/sub for a subgraph's subscriptions (one per subgraph; closed by its owner). */
  createPubSub(): SubscriptionPubSub;
  /** A plain message on a named channel, to every `listen`er of the environment. */
  announce(channel: string, message: string): Promise<void>;
  listen(channels: string[], onMessage: (channel: string, message: string) => void): Listening;
  /** Rate limits shared by every instance serving `scope` (Redis), or counted in this process (in memory). */
  startRateLimits(options: { name: string; scope: string; overrides: RateLimitOverrides; logger: Logger; whileDown: string }): Promise<{ rateLimits: RateLimits; close(): Promise<void> }>;
  /** What `/ready` checks besides the process's own dependencies: Redis, or nothing in memory. */
  readinessChecks(): { checks: DependencyCheck[]; close(): Promise<void> };
  /** The profile-access cache of the environment's `scope` (the database name): Redis, or this process's memory. */
  openProfileAccess(options: { scope: string; name: string; logger: Logger }): { cache: ProfileAccessCache; close(): Promise<void> };
  /** Where the event relay and consumers meet (Redis streams); null: no Redis, the table alone, woken in-process. */
  readonly eventRedisUrl: string | null;
  close(): Promise<void>;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** Every deployment: Redis carries it all, so any number of processes and instances share the environment. */
export function redisBus(url: string, logger: Logger): Bus {
  let announcer: Redis | undefined;
  const announcerOf = () =>
    (announcer ??= connectEventRedis(url, {
      name: "announcements",
      logger,
      whileDown: "revocations are not announced until it returns (sockets close when their tokens expire)",
    }));
  return {
    kind: "redis",
    eventRedisUrl: url,
    createPubSub() {
      const options = {
        maxRetriesPerRequest: null,
        // Keep retrying while Redis is away; subscriptions resume when it returns.
        retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000),
      };
      const publisher = new Redis(url, options);
      const subscriber = new Redis(url, options);
      for (const client of [publisher, subscriber]) client.on("error", (error) => logger.warn(`redis: ${error.message}`));
      const redisPubSub = new RedisPubSub({
        publisher,
        subscriber,
        // Dates survive the JSON round trip.
        reviver: (_key, value) => (typeof value === "string" && ISO_DATE.test(value) ? new Date(value) : value),
      });
      return {
        publish: (topic, payload) => redisPubSub.publish(topic, payload),
        asyncIterableIterator: <T>(topics: string | string[]) => redisPubSub.asyncIterableIterator<T>(topics),
        announce: async (channel, message) => {
          await publisher.publish(channel, message);
        },
        // A connection Redis already closed cannot QUIT: drop both then.
        close: () =>
          redisPubSub.close().then(
            () => undefined,
            () => {
              publisher.disconnect();
              subscriber.disconnect();
            },
          ),
      };
    },
    async announce(channel, message) {
      const redis = announcerOf();
      if (redis.status !== "ready") await once(redis, "ready", { signal: AbortSignal.timeout(3_000) }).catch(() => undefined);
      await redis.publish(channel, message);
    },
    listen(channels, onMessage) {
      const redis = new Redis(url, { maxRetriesPerRequest: null, retryStrategy: (n) => Math.min(n * 200, 2000) });
      redis.on("error", (error) => logger.warn(`redis (${channels.join(", ")}): ${error.message}`));
      redis.on("message", onMessage);
      void redis.subscribe(...channels).catch(() => undefined);
      return { close: async () => void (await redis.quit().catch(() => redis.disconnect())) };
    },
    async startRateLimits({ name, scope, overrides, logger, whileDown }) {
      const redis = connectEventRedis(url, { name, logger, whileDown });
      // A fresh instance should refuse what the others refuse: wait briefly for the shared counts.
      await once(redis, "ready", { signal: AbortSignal.timeout(3_000) }).catch(() => undefined);
      return { rateLimits: RateLimits.shared(redis, scope, overrides), close: () => closeEventRedis(redis) };
    },
    openProfileAccess({ scope, name, logger }) {
      // Fails fast while Redis is away, and gives up a slow command: the reader reads PostgreSQL instead.
      const redis = connectEventRedis(url, {
        name,
        logger,
        whileDown: "profiles are read from PostgreSQL until it returns",
        commandTimeoutMs: PROFILE_ACCESS_TIMEOUT_MS,
      });
      return { cache: redisProfileAccess(redis, scope), close: () => closeEventRedis(redis) };
    },
    readinessChecks() {
      const probe = redisProbe(url);
      return { checks: [probe], close: () => probe.close() };
    },
    async close() {
      if (announcer) await closeEventRedis(announcer);
    },
  };
}

/**
 * Embedded mode: every service in this one process, so an EventEmitter is the whole bus. One instance per
 * process, handed to every subgraph and the gateway (events published by one reach the others).
 */
export function inProcessBus(): Bus {
  const events = new EventEmitter();
  // Every subscription and listener is a listener here; there is no leak to warn about.
  events.setMaxListeners(0);
  const channels = new EventEmitter();
  channels.setMaxListeners(0);
  const pubSub = new PubSub({ eventEmitter: events });
  // One cache per scope, shared by every subgraph of this process.
  const profileAccess = new Map<string, ProfileAccessCache>();
  return {
    kind: "in-process",
    eventRedisUrl: null,
    createPubSub() {
      return {
        publish: (topic, payload) => pubSub.publish(topic, payload as never),
        asyncIterableIterator: <T>(topics: string | string[]) => pubSub.asyncIterableIterator<T>(topics),
        announce: async (channel, message) => void channels.emit(channel, message),
        close: async () => undefined,
      };
    },
    async announce(channel, message) {
      channels.emit(channel, message);
    },
    listen(names, onMessage) {
      const handlers = names.map((channel) => [channel, (message: string) => onMessage(channel, message)] as const);
      for (const [channel, handler] of handlers) channels.on(channel, handler);
      return { close: async () => void handlers.forEach(([channel, handler]) => channels.off(channel, handler)) };
    },
    async startRateLimits({ overrides }) {
      return { rateLimits: RateLimits.inMemory(overrides), close: async () => undefined };
    },
    openProfileAccess({ scope }) {
      let cache = profileAccess.get(scope);
      if (!cache) profileAccess.set(scope, (cache = memoryProfileAccess()));
      return { cache, close: async () => undefined };
    },
    readinessChecks() {
      return { checks: [], close: async () => undefined };
    },
    async close() {
      events.removeAllListeners();
      channels.removeAllListeners();
    },
  };
}
