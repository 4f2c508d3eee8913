// The operator's view of the services (staff only): heartbeat, schema hash and each consumer's lag.
import { Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeScalar, PRIVATE_HINT, type ServiceHealth } from "@watchflixx/common";

export const ServiceState = {
  STARTING: "STARTING",
  RUNNING: "RUNNING",
  DEGRADED: "DEGRADED",
  STOPPED: "STOPPED",
  UNRESPONSIVE: "UNRESPONSIVE",
  UNKNOWN: "UNKNOWN",
} as const satisfies Record<ServiceHealth, ServiceHealth>;
export type ServiceState = ServiceHealth;

registerEnumType(ServiceState, {
  name: "ServiceState",
  description: "A service's state from its heartbeat.",
  valuesConfig: {
    STARTING: { description: "Started, not yet serving." },
    RUNNING: { description: "Serving, heartbeat current." },
    DEGRADED: { description: "Serving, but its event consumer is stuck on an event that keeps failing." },
    STOPPED: { description: "Shut down cleanly." },
    UNRESPONSIVE: { description: "No heartbeat for 30 seconds." },
    UNKNOWN: { description: "Never reported a heartbeat." },
  },
});

@Directive(PRIVATE_HINT)
@ObjectType("ServiceStatus")
export class ServiceStatus {
  @Field(() => String)
  service!: string;

  @Field(() => ServiceState)
  status!: ServiceState;

  @Field(() => Int, { description: "Its port in microservices.config.json." })
  port!: number;

  @Field(() => String, { nullable: true, description: "The instance that wrote the last heartbeat (host:pid:random)." })
  instanceId!: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  lastHeartbeatAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  startedAt!: Date | null;

  @Field(() => String, { nullable: true, description: "sha256 of the SDL the service serves." })
  schemaHash!: string | null;

  @Field(() => ID, { nullable: true, description: "The newest event its consumer has processed." })
  lastProcessedEventId!: string | null;

  @Field(() => Float, { description: "Age in seconds of the oldest event it consumes and has not processed; 0 when none." })
  lagSeconds!: number;

  @Field(() => Int, { description: "Events it consumes and has not processed yet." })
  unprocessedEvents!: number;

  @Field(() => [String], { description: "Event types it produces (microservices.config.json)." })
  produces!: string[];

  @Field(() => [String], { description: "Event types it consumes (microservices.config.json)." })
  consumes!: string[];
}
