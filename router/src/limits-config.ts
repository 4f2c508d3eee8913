// The gateway's timeouts and caps (subgraph requests, WebSockets): their variables and defaults, part of
// gatewayConfigSchema (config.ts). Documented in router/README.md ("Timeouts, caps and health").
import { z } from "zod";
import { SERVICE_NAMES, type ServiceName } from "@watchflixx/common";

const positive = (message: string) => z.coerce.number({ message }).int(message).min(1, message);
const milliseconds = positive("must be a number of milliseconds (at least 1)");
const bytes = positive("must be a number of bytes (at least 1)");
const count = positive("must be a whole number (at least 1)");

function timeoutVariable(service: ServiceName): string {
  return `${service.toUpperCase()}_TIMEOUT_MS`;
}

export function resilienceConfigShape() {
  const perService: Record<string, z.ZodOptional<typeof milliseconds>> = {};
  for (const service of SERVICE_NAMES) perService[timeoutVariable(service)] = milliseconds.optional();
  return {
    /** Deadline of one subgraph request (headers and body); a subgraph that misses it fails only its fields. */
    SUBGRAPH_TIMEOUT_MS: milliseconds.default(5_000),
    ...perService,
    /** A subgraph response larger than this is dropped as soon as it passes the cap. */
    SUBGRAPH_MAX_RESPONSE_BYTES: bytes.default(16 * 1024 * 1024),
    /** Active subscriptions one WebSocket may hold; the next is refused (RATE_LIMITED, TOO_MANY_SUBSCRIPTIONS). */
    WS_MAX_SUBSCRIPTIONS_PER_SOCKET: count.default(50),
    /** Open WebSockets per account; a new one closes the account's oldest with 4429. */
    WS_MAX_SOCKETS_PER_ACCOUNT: count.default(20),
    /** Largest connection_init (and anything before it is accepted), measured before parsing; larger: 4413. */
    WS_MAX_CONNECTION_INIT_BYTES: bytes.default(16 * 1024),
    /** Largest WebSocket message at all (the ws server's maxPayload); larger closes the socket with 1009. */
    WS_MAX_MESSAGE_BYTES: bytes.default(256 * 1024),
  };
}

/** `<SERVICE>_TIMEOUT_MS` values that are set. */
export function subgraphTimeouts(config: Record<string, unknown>): Partial<Record<ServiceName, number>> {
  const timeouts: Partial<Record<ServiceName, number>> = {};
  for (const service of SERVICE_NAMES) {
    const value = config[timeoutVariable(service)];
    if (typeof value === "number") timeouts[service] = value;
  }
  return timeouts;
}
