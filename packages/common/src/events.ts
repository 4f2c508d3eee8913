// The transactional outbox: a service records what changed as a ServiceEvent in the same transaction as the
// change itself, so that an event is written if and only if the change is.
import type { Prisma } from "@watchflixx/db";
import type { ServiceName } from "./services.ts";

export interface ServiceEventInput {
  eventType: string;
  service: ServiceName;
  /** The kind of thing that changed ("user", "profile", "content", ...). */
  aggregateType: string;
  aggregateId: string;
  payload: Prisma.InputJsonValue;
}

/** Call inside the transaction that makes the change: `db.$transaction(async (tx) => { ...; await recordEvent(tx, ...) })`. */
export async function recordEvent(tx: Prisma.TransactionClient, event: ServiceEventInput): Promise<bigint> {
  const row = await tx.serviceEvent.create({ data: event, select: { id: true } });
  return row.id;
}
