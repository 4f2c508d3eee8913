// `serviceStatuses`: every service's heartbeat, schema hash and consumer lag (staff only).
import type { PrismaClient } from "@watchflixx/db";
import { readServiceStatuses, requireStaff, type Identity, type ServiceHealth } from "@watchflixx/common";

export interface ServiceReport {
  service: string;
  status: ServiceHealth;
  port: number;
  instanceId: string | null;
  lastHeartbeatAt: Date | null;
  startedAt: Date | null;
  schemaHash: string | null;
  lastProcessedEventId: string | null;
  lagSeconds: number;
  unprocessedEvents: number;
  produces: string[];
  consumes: string[];
}

export class StatusService {
  constructor(private readonly db: PrismaClient) {}

  async serviceStatuses(viewer: Identity | null): Promise<ServiceReport[]> {
    requireStaff({ identity: viewer });
    const reports = await readServiceStatuses(this.db);
    return reports.map((report) => ({
      service: report.service,
      status: report.health,
      port: report.port,
      instanceId: report.instanceId,
      lastHeartbeatAt: report.lastHeartbeatAt,
      startedAt: report.startedAt,
      schemaHash: report.schemaHash,
      lastProcessedEventId: report.lastProcessedEventId === null ? null : String(report.lastProcessedEventId),
      lagSeconds: Math.round(report.lagSeconds * 1000) / 1000,
      unprocessedEvents: report.unprocessedEvents,
      produces: report.produces,
      consumes: report.consumes,
    }));
  }
}
