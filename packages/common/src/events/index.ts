// The event bus: transactional outbox (recordEvent), relay to Redis streams, consumers with processed-by
// bookkeeping, heartbeats and status. See subgraphs/analytics/README.md ("The event bus").
export { onEventRecorded, recordEvent, type RecordedEvent, type ServiceEventInput } from "./outbox.ts";
export {
  checkEventPayload,
  EVENT_PAYLOADS,
  EVENT_TYPES,
  eventPayload,
  EventPayloadError,
  isEventType,
  type EventPayload,
  type EventPayloadInput,
  type EventType,
} from "./catalogue.ts";
export {
  closeEventRedis,
  connectEventRedis,
  EVENT_STREAM_MAX_LENGTH,
  EVENT_STREAM_PREFIX,
  eventDedupeKey,
  eventStreamKey,
  publishEvents,
  type EventRedisOptions,
  type PublishOptions,
} from "./streams.ts";
export { startEventRelay, type EventRelay, type EventRelayOptions } from "./relay.ts";
export {
  consumedEventTypes,
  markProcessed,
  startConsumer,
  startSubgraphConsumer,
  type SubgraphConsumerSetting,
  type ConsumerOptions,
  type EventConsumer,
  type EventHandler,
  type HandlerContext,
} from "./consumer.ts";
export { consumerProgress, reportConsumerProgress, type ConsumerProgress } from "./progress.ts";
export {
  HEARTBEAT_INTERVAL_MS,
  schemaHash,
  ServiceRunState,
  startHeartbeat,
  type Heartbeat,
  type HeartbeatOptions,
} from "./heartbeat.ts";
export {
  consumerLag,
  readServiceStatuses,
  UNRESPONSIVE_AFTER_MS,
  type ServiceHealth,
  type ServiceStatusReport,
} from "./status.ts";
export {
  startServiceEvents,
  type EventRelaySettings,
  type HeartbeatSettings,
  type ServiceEventsContext,
  type ServiceEventsOptions,
} from "./runtime.ts";
