// Every error a client can see: a GraphQLError with a fixed `extensions.code` from the contract.
// Anything else is an internal error and is masked before it leaves a subgraph (see `maskInternalErrors`).
import { GraphQLError, type GraphQLFormattedError } from "graphql";

export const ErrorCode = {
  UNAUTHENTICATED: "UNAUTHENTICATED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  BAD_USER_INPUT: "BAD_USER_INPUT",
  CONFLICT: "CONFLICT",
  PAYMENT_REQUIRED: "PAYMENT_REQUIRED",
  RATE_LIMITED: "RATE_LIMITED",
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes a client may receive as they are; anything else is masked as INTERNAL_SERVER_ERROR. */
const PUBLIC_CODES = new Set<string>([
  ...Object.values(ErrorCode),
  // Apollo Server's own request-level codes (bad query, unknown field, bad variables).
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
  // A document over the operation limits (operation-limits.ts).
  "OPERATION_TOO_COMPLEX",
  // The gateway's own: starting, or a subgraph that missed its deadline or answered too much (no names, no URLs).
  "SERVICE_UNAVAILABLE",
]);

export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = "You must be signed in.") {
    super(ErrorCode.UNAUTHENTICATED, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = "You are not allowed to do this.") {
    super(ErrorCode.FORBIDDEN, message);
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super(ErrorCode.NOT_FOUND, `${what} not found.`);
  }
}

export class BadUserInputError extends AppError {
  constructor(message: string, field?: string) {
    super(ErrorCode.BAD_USER_INPUT, message, field ? { field } : {});
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super(ErrorCode.CONFLICT, message);
  }
}

export class PaymentRequiredError extends AppError {
  constructor(message = "An active subscription or rental is required.") {
    super(ErrorCode.PAYMENT_REQUIRED, message);
  }
}

export class RateLimitedError extends AppError {
  constructor(message: string, retryAfterSeconds?: number) {
    super(ErrorCode.RATE_LIMITED, message, retryAfterSeconds ? { retryAfterSeconds } : {});
  }
}

/**
 * Prisma's known request error, by its name and code (not `instanceof`: that would load the Prisma client into
 * every process importing this package, the gateway included).
 */
function isKnownDatabaseError(error: unknown): error is { code: string } {
  return error instanceof Error && error.name === "PrismaClientKnownRequestError" && typeof (error as { code?: unknown }).code === "string";
}

/**
 * Turns a database error into the client's error: a unique violation is a CONFLICT, a missing row on
 * update/delete is NOT_FOUND. Anything else is rethrown as it is (and masked on the way out).
 */
export function translateDatabaseError(error: unknown, what = "Record"): never {
  if (isKnownDatabaseError(error)) {
    if (error.code === "P2002") throw new ConflictError(`${what} already exists.`);
    if (error.code === "P2025") throw new NotFoundError(what);
    if (error.code === "P2003") throw new BadUserInputError(`${what} refers to something that does not exist.`);
  }
  throw error;
}

/**
 * Apollo Server `formatError`: errors with a public code pass as they are (minus stack traces); everything
 * else (database errors, bugs) becomes a generic INTERNAL_SERVER_ERROR, logged server-side.
 */
export function maskInternalErrors(log: (message: string, error: unknown) => void) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (typeof code === "string" && PUBLIC_CODES.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    log("internal error", error);
    return {
      message: "Internal server error",
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}
