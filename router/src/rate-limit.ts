// The gateway's own rate limits: every HTTP request, WebSocket connection and subscription counts against its
// client address and, when signed in, against its account (RATE_LIMITS gateway-address and gateway-account), in
// Redis so that every gateway replica adds to the same counts. Refused before any parsing, planning or subgraph
// call, with the same answer as every other limit: a GraphQL error RATE_LIMITED with
// `extensions.retryAfterSeconds`; over HTTP with status 200 (as UNAUTHENTICATED: Apollo Client hands it to
// `onError` as a GraphQL error, a 429 would arrive as a network error) plus a Retry-After header for proxies and
// scripts. A WebSocket connection over the limit is closed with 4429.
import { randomUUID } from "node:crypto";
import { addressBucket, ErrorCode, RateLimitedError, redisBus, type Bus, type Logger } from "@watchflixx/common";
import { GraphQLError } from "graphql";
import type { GatewayContext } from "./auth.ts";
import type { GatewayConfig } from "./config.ts";

type Caller = Pick<GatewayContext, "identity" | "clientAddress">;

export interface GatewayRateLimits {
  /** Throws RATE_LIMITED (a RateLimitedError) when the caller is over a limit. */
  admit(caller: Caller): Promise<void>;
  /** The same for an HTTP request: the error carries its HTTP status and Retry-After header. */
  admitRequest(caller: Caller): Promise<void>;
  close(): Promise<void>;
}

/**
 * The scope of the counts when none is given: the environment's database (as the subgraphs scope theirs). Under
 * NODE_ENV=test, one of its own per gateway: test files never share counts (the harness passes the test
 * database's name, so that its gateways share theirs).
 */
export function defaultRateLimitScope(config: GatewayConfig): string {
  if (config.NODE_ENV === "test") return `test-${randomUUID()}`;
  return decodeURIComponent(new URL(config.DATABASE_URL).pathname.slice(1));
}

export async function startGatewayRateLimits(
  config: GatewayConfig,
  logger: Logger,
  scope = defaultRateLimitScope(config),
  bus: Bus = redisBus(config.REDIS_URL, logger),
): Promise<GatewayRateLimits> {
  const { rateLimits: limits, close } = await bus.startRateLimits({
    name: "gateway-rate-limits",
    scope,
    overrides: config.RATE_LIMITS,
    logger,
    whileDown: "rate limits are counted per gateway until it returns",
  });
  const admit = async ({ identity, clientAddress }: Caller) => {
    if (clientAddress) await limits.consume("gateway-address", addressBucket(clientAddress));
    if (identity) await limits.consume("gateway-account", identity.userId);
  };
  return {
    admit,
    async admitRequest(caller) {
      try {
        await admit(caller);
      } catch (error) {
        if (error instanceof RateLimitedError) throw asHttpError(error);
        throw error;
      }
    },
    close,
  };
}

function asHttpError(error: RateLimitedError): GraphQLError {
  const retryAfterSeconds = Number(error.extensions.retryAfterSeconds ?? 1);
  return new GraphQLError(error.message, {
    extensions: {
      code: ErrorCode.RATE_LIMITED,
      retryAfterSeconds,
      http: { status: 200, headers: new Map([["retry-after", String(retryAfterSeconds)]]) },
    },
  });
}
