// Every subgraph's heartbeat in `service_status` (one row per service): when it last beat, which instance,
// the sha256 of the SDL it serves, its state and how far its consumer has got. `SELECT * FROM service_status`
// is the operator's view; the `serviceStatuses` staff query adds each consumer's lag.
import { createHash, randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { PrismaClient } from "@watchflixx/db";
import type { Logger } from "../logger.ts";
import type { ServiceName } from "../services.ts";
import { consumerProgress } from "./progress.ts";
import { Waker } from "./waker.ts";

export const HEARTBEAT_INTERVAL_MS = 10_000;

/** The states written to service_status.status. */
export const ServiceRunState = {
  STARTING: "starting",
  RUNNING: "running",
  /** Serving, but its consumer is stuck on an event that keeps failing. */
  DEGRADED: "degraded",
  STOPPED: "stopped",
} as const;
export type ServiceRunState = (typeof ServiceRunState)[keyof typeof ServiceRunState];

export function schemaHash(sdl: string): string {
  return createHash("sha256").update(sdl).digest("hex");
}

export interface HeartbeatOptions {
  db: PrismaClient;
  service: ServiceName;
  sdl: string;
  logger: Logger;
  intervalMs?: number;
  instanceId?: string;
}

export interface Heartbeat {
  readonly instanceId: string;
  /** Writes one heartbeat now. */
  beat(): Promise<void>;
  /** Stops beating and records the service as stopped. */
  stop(): Promise<void>;
}

export function startHeartbeat(options: HeartbeatOptions): Heartbeat {
  const { db, service, logger } = options;
  const intervalMs = options.intervalMs ?? HEARTBEAT_INTERVAL_MS;
  const instanceId = options.instanceId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const hash = schemaHash(options.sdl);
  const startedAt = new Date();
  const waker = new Waker();
  let stopped = false;
  let failing = false;

  async function write(state: ServiceRunState): Promise<void> {
    const progress = consumerProgress(service);
    await db.$executeRaw`
      INSERT INTO service_status
        (service, instance_id, status, last_heartbeat_at, schema_hash, last_processed_event_id, last_processed_at, started_at)
      VALUES
        (${service}, ${instanceId}, ${state}, now(), ${hash}, ${progress?.lastProcessedEventId ?? null},
         ${progress?.lastProcessedAt ?? null}, ${startedAt})
      ON CONFLICT (service) DO UPDATE SET
        instance_id = EXCLUDED.instance_id,
        status = EXCLUDED.status,
        last_heartbeat_at = now(),
        schema_hash = EXCLUDED.schema_hash,
        last_processed_event_id = GREATEST(service_status.last_processed_event_id, EXCLUDED.last_processed_event_id),
        last_processed_at = GREATEST(service_status.last_processed_at, EXCLUDED.last_processed_at),
        started_at = CASE WHEN service_status.instance_id = EXCLUDED.instance_id THEN service_status.started_at
                          ELSE EXCLUDED.started_at END,
        version = service_status.version + 1,
        synced_at = now()`;
  }

  async function beat(): Promise<void> {
    const state = consumerProgress(service)?.failing ? ServiceRunState.DEGRADED : ServiceRunState.RUNNING;
    try {
      await write(state);
      if (failing) logger.info("heartbeat: recorded again");
      failing = false;
    } catch (error) {
      if (!failing) logger.warn("heartbeat: could not write service_status", error instanceof Error ? error.message : error);
      failing = true;
    }
  }

  const loop = (async () => {
    while (!stopped) {
      await beat();
      await waker.sleep(intervalMs);
    }
  })();

  return {
    instanceId,
    beat,
    async stop() {
      stopped = true;
      waker.wake();
      await loop;
      // Only if no other instance of the service has beaten since: it is still running.
      await db.$executeRaw`
        UPDATE service_status SET status = ${ServiceRunState.STOPPED}, last_heartbeat_at = now(),
          version = version + 1, synced_at = now()
        WHERE service = ${service} AND instance_id = ${instanceId}`.catch((error: unknown) =>
        logger.warn("heartbeat: could not record the stop", error instanceof Error ? error.message : error),
      );
    },
  };
}
