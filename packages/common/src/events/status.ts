// The operator's view of the services: heartbeat rows joined with what microservices.config.json says each
// service consumes, plus every consumer's lag (its oldest event not yet processed) computed from the table.
import type { PrismaClient } from "@watchflixx/db";
import { microservicesConfig, SERVICE_NAMES, type ServiceName } from "../services.ts";
import { HEARTBEAT_INTERVAL_MS } from "./heartbeat.ts";

/** What a status row says, corrected by the clock: a service that stopped beating is UNRESPONSIVE. */
export type ServiceHealth = "STARTING" | "RUNNING" | "DEGRADED" | "STOPPED" | "UNRESPONSIVE" | "UNKNOWN";

export interface ServiceStatusReport {
  service: ServiceName;
  port: number;
  health: ServiceHealth;
  instanceId: string | null;
  lastHeartbeatAt: Date | null;
  startedAt: Date | null;
  schemaHash: string | null;
  lastProcessedEventId: bigint | null;
  produces: string[];
  consumes: string[];
  /** Events of consumed types this service has not processed yet. */
  unprocessedEvents: number;
  /** Age of the oldest of them, in seconds (0 when there is none). */
  lagSeconds: number;
}

interface StatusRow {
  service: string;
  instance_id: string | null;
  status: string;
  last_heartbeat_at: Date;
  schema_hash: string | null;
  last_processed_event_id: bigint | null;
  started_at: Date;
}

/** A heartbeat older than this means the process is gone (or hung). */
export const UNRESPONSIVE_AFTER_MS = 3 * HEARTBEAT_INTERVAL_MS;

function healthOf(row: StatusRow | undefined, now: Date): ServiceHealth {
  if (!row) return "UNKNOWN";
  if (row.status === "stopped") return "STOPPED";
  if (now.getTime() - row.last_heartbeat_at.getTime() > UNRESPONSIVE_AFTER_MS) return "UNRESPONSIVE";
  if (row.status === "degraded") return "DEGRADED";
  if (row.status === "starting") return "STARTING";
  return "RUNNING";
}

export async function consumerLag(
  db: PrismaClient,
  service: ServiceName,
): Promise<{ unprocessedEvents: number; lagSeconds: number }> {
  const consumes = microservicesConfig().services[service].consumes;
  if (consumes.length === 0) return { unprocessedEvents: 0, lagSeconds: 0 };
  const [row] = await db.$queryRaw<{ pending: number; lag: number | null }[]>`
    SELECT count(*)::int AS pending, EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS lag
    FROM service_events
    WHERE event_type = ANY(${consumes}) AND NOT (${service} = ANY(processed_by))`;
  return { unprocessedEvents: row?.pending ?? 0, lagSeconds: Math.max(0, row?.lag ?? 0) };
}

/** One report per service in microservices.config.json, in its order. */
export async function readServiceStatuses(db: PrismaClient): Promise<ServiceStatusReport[]> {
  const config = microservicesConfig();
  const [{ now } = { now: new Date() }] = await db.$queryRaw<{ now: Date }[]>`SELECT now() AS now`;
  const rows = await db.$queryRaw<StatusRow[]>`
    SELECT service, instance_id, status, last_heartbeat_at, schema_hash, last_processed_event_id, started_at
    FROM service_status`;
  const byService = new Map(rows.map((row) => [row.service, row]));
  return Promise.all(
    SERVICE_NAMES.map(async (service) => {
      const definition = config.services[service];
      const row = byService.get(service);
      return {
        service,
        port: definition.port,
        health: healthOf(row, now),
        instanceId: row?.instance_id ?? null,
        lastHeartbeatAt: row?.last_heartbeat_at ?? null,
        startedAt: row?.started_at ?? null,
        schemaHash: row?.schema_hash ?? null,
        lastProcessedEventId: row?.last_processed_event_id ?? null,
        produces: [...definition.produces],
        consumes: [...definition.consumes],
        ...(await consumerLag(db, service)),
      };
    }),
  );
}
