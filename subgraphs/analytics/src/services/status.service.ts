// `serviceStatuses`: every service's heartbeat, schema hash and consumer lag (staff only).
import { readServiceStatuses, requireStaff, type SubgraphContext } from "@watchflixx/common";
import type { ServiceStatus } from "../entities/service-status.ts";

export async function serviceStatuses(context: SubgraphContext): Promise<ServiceStatus[]> {
  requireStaff(context);
  const reports = await readServiceStatuses(context.db);
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
