// What this process's consumers have done, for its heartbeat (one entry per consuming service).
import type { ServiceName } from "../services.ts";

export interface ConsumerProgress {
  lastProcessedEventId: bigint | null;
  lastProcessedAt: Date | null;
  /** Why the consumer is stuck (a handler keeps failing), or null when it is healthy. */
  failing: string | null;
}

const progress = new Map<ServiceName, ConsumerProgress>();

export function consumerProgress(service: ServiceName): ConsumerProgress | undefined {
  return progress.get(service);
}

export function reportConsumerProgress(service: ServiceName, update: Partial<ConsumerProgress>): void {
  const current = progress.get(service) ?? { lastProcessedEventId: null, lastProcessedAt: null, failing: null };
  const next = { ...current, ...update };
  if (
    update.lastProcessedEventId !== undefined &&
    current.lastProcessedEventId !== null &&
    (update.lastProcessedEventId === null || update.lastProcessedEventId < current.lastProcessedEventId)
  ) {
    next.lastProcessedEventId = current.lastProcessedEventId;
  }
  progress.set(service, next);
}
