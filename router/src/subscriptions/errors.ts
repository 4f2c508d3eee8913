// The few GraphQL errors the subscription parts build themselves, so each reads and is spelled the same everywhere.
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { ErrorCode } from "@watchflixx/common";

/** An error a subgraph sent (already formatted), as a GraphQLError the client receives unchanged. */
export function formatError(error: GraphQLFormattedError): GraphQLError {
  return new GraphQLError(error.message, { extensions: error.extensions ?? {} });
}

/** What the client sees of a failure inside the gateway or of a subgraph call (the cause is logged). */
export function internalServerError(): GraphQLError {
  return new GraphQLError("Internal server error", { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } });
}

/** No supergraph is loaded yet (or it is being replaced). */
export function serviceUnavailable(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "SERVICE_UNAVAILABLE" } });
}
