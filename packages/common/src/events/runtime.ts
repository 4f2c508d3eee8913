// The event-bus work every subgraph process does beside serving GraphQL: its heartbeat, and — for services
// that produce events (microservices.config.json) — the relay of its committed events to Redis.
// startSubgraph runs it when asked; runSubgraph asks for both by default.
import type { PrismaClient } from "@watchflixx/db";
import type { Logger } from "../logger.ts";
import { microservicesConfig, type ServiceName } from "../services.ts";
import { startHeartbeat } from "./heartbeat.ts";
import { startEventRelay } from "./relay.ts";
import { closeEventRedis, connectEventRedis } from "./streams.ts";

export interface HeartbeatSettings {
  intervalMs?: number;
}

export interface EventRelaySettings {
  pollIntervalMs?: number;
  /** Redis namespace. Default: this process's (REDIS_NAMESPACE, `watchflixx`). */
  namespace?: string;
  /** Default: the REDIS_URL the subgraph is started with. */
  redisUrl?: string;
}

export interface ServiceEventsOptions {
  /** Heartbeat into service_status every ~10 s (schema hash, state, consumer progress). */
  heartbeat?: boolean | HeartbeatSettings;
  /** Relay this service's committed ServiceEvents to the Redis streams (only if it produces any). */
  eventRelay?: boolean | EventRelaySettings;
}

export interface ServiceEventsContext {
  service: ServiceName;
  sdl: string;
  db: PrismaClient;
  /** null: no Redis (embedded mode's in-process bus), nothing to relay to; consumers read the table. */
  redisUrl: string | null;
  logger: Logger;
}

/** Starts what the options ask for; returns what stops it (a final `stopped` heartbeat included). */
export function startServiceEvents(context: ServiceEventsContext, options: ServiceEventsOptions): () => Promise<void> {
  const stops: (() => Promise<void>)[] = [];
  if (options.heartbeat) {
    const settings = options.heartbeat === true ? {} : options.heartbeat;
    const heartbeat = startHeartbeat({ ...context, intervalMs: settings.intervalMs });
    stops.push(() => heartbeat.stop());
  }
  const produces = microservicesConfig().services[context.service].produces;
  const settings = options.eventRelay === true ? {} : options.eventRelay;
  const redisUrl = settings ? (settings.redisUrl ?? context.redisUrl) : null;
  if (settings && redisUrl && produces.length > 0) {
    const redis = connectEventRedis(redisUrl, { name: `${context.service}-relay`, logger: context.logger });
    const relay = startEventRelay({
      db: context.db,
      redis,
      service: context.service,
      logger: context.logger,
      pollIntervalMs: settings.pollIntervalMs,
      ...(settings.namespace ? { namespace: settings.namespace } : {}),
    });
    stops.unshift(async () => {
      await relay.stop();
      await closeEventRedis(redis);
    });
  }
  return async () => {
    for (const stop of stops) await stop();
  };
}
