// The transactional outbox: a service records what changed as a ServiceEvent in the same transaction as the
// change itself, so that an event is written if and only if the change is. Nothing else is needed from a
// producer: the event relay running in its process (see relay.ts) copies committed events to Redis.
import { EventEmitter } from "node:events";
import type { Prisma } from "@watchflixx/db";
import type { ServiceName } from "../services.ts";
import { checkEventPayload, type EventPayloadInput, type EventType } from "./catalogue.ts";

export interface ServiceEventInput<T extends EventType = EventType> {
  eventType: T;
  service: ServiceName;
  /** The kind of thing that changed ("user", "profile", "content", ...): also the Redis stream's suffix. */
  aggregateType: string;
  aggregateId: string;
  /** Checked against the event type's schema in catalogue.ts. */
  payload: EventPayloadInput<T>;
}

// In-process nudge: the relay of the producing process looks for committed events right away instead of
// waiting for its next poll. Purely an accelerator; the relay polls anyway.
const recorded = new EventEmitter();
recorded.setMaxListeners(0);

/** Calls `listener(service)` whenever this process records an event (before its transaction commits). */
export function onEventRecorded(listener: (service: ServiceName) => void): () => void {
  recorded.on("recorded", listener);
  return () => recorded.off("recorded", listener);
}

/** Call inside the transaction that makes the change: `db.$transaction(async (tx) => { ...; await recordEvent(tx, ...) })`. */
export async function recordEvent<T extends EventType>(tx: Prisma.TransactionClient, event: ServiceEventInput<T>): Promise<bigint> {
  checkEventPayload(event.eventType, event.payload);
  const row = await tx.serviceEvent.create({ data: { ...event, payload: event.payload as Prisma.InputJsonValue }, select: { id: true } });
  recorded.emit("recorded", event.service);
  return row.id;
}

/** A `service_events` row as raw SQL returns it (the relay and the consumers read it that way). */
export interface ServiceEventRow {
  id: bigint;
  event_type: string;
  service: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: Prisma.JsonValue;
  created_at: Date;
}

/** A recorded event as the relay and the consumers pass it on (camelCase, from a ServiceEventRow). */
export interface RecordedEvent {
  id: bigint;
  eventType: string;
  /** The producing service. */
  service: string;
  aggregateType: string;
  aggregateId: string;
  payload: Prisma.JsonValue;
  createdAt: Date;
}

export function toRecordedEvent(row: ServiceEventRow): RecordedEvent {
  return {
    id: row.id,
    eventType: row.event_type,
    service: row.service,
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    payload: row.payload,
    createdAt: row.created_at,
  };
}
