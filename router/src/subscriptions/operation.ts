// A subscribe message, checked as HTTP checks a request (trusted documents, limits and text checks, validation,
// variables) and turned into the execution arguments graphql-ws passes to the engine's `subscribe`.
import { getOperationAST, GraphQLError, validate, type DocumentNode, type ExecutionArgs } from "graphql";
import { getVariableValues } from "graphql/execution/values.js";
import type { SubscribePayload } from "graphql-ws";
import { parseGuardedSubscription, type Identity, type RequestGuardOptions } from "@watchflixx/common";
import type { TrustedDocuments } from "../trusted-documents.ts";
import { serviceUnavailable } from "./errors.ts";
import type { SubscriptionPlanner } from "./planner.ts";

/** The execution context graphql-ws carries from `onSubscribe` to `subscribe`. */
export interface SubscriptionCaller {
  identity: Identity | null;
  /** The operation's text (a persisted query resolved), which keys the plan and the shared event shapes. */
  source: string;
}

export interface OperationChecks {
  /** The operation limits and text checks, as for HTTP. */
  guard: RequestGuardOptions;
  /** Resolves persisted-query hashes and, enforcing, refuses documents outside the manifest (before parsing). */
  trustedDocuments?: TrustedDocuments;
}

/** The subscription's execution arguments, or the errors that refuse it. */
export function subscriptionArgs(
  planner: SubscriptionPlanner | undefined,
  payload: SubscribePayload,
  identity: Identity | null,
  checks: OperationChecks,
): ExecutionArgs | GraphQLError[] {
  if (!planner) return [serviceUnavailable("The gateway is starting.")];
  const resolved = checks.trustedDocuments?.resolve(payload) ?? { query: payload.query };
  if ("errors" in resolved) return resolved.errors;
  const source = resolved.query;
  const schema = planner.apiGraphQLSchema;
  let document: DocumentNode;
  try {
    // Limits and text checks before validation and planning, as over HTTP.
    document = parseGuardedSubscription(schema, source, payload.variables, checks.guard);
  } catch (error) {
    return [error instanceof GraphQLError ? error : new GraphQLError(String(error))];
  }
  const errors = validate(schema, document);
  if (errors.length > 0) return errors.map((e) => new GraphQLError(e.message, { extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }));
  const operation = getOperationAST(document, payload.operationName ?? undefined);
  if (!operation) return [new GraphQLError("Unknown operation.", { extensions: { code: "BAD_USER_INPUT" } })];
  if (operation.operation !== "subscription") {
    return [new GraphQLError("Only subscriptions are served over WebSocket; send queries and mutations over HTTP.", { extensions: { code: "BAD_REQUEST" } })];
  }
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], payload.variables ?? {});
  if (coerced.errors) return coerced.errors.map((e) => new GraphQLError(e.message, { extensions: { code: "BAD_USER_INPUT" } }));
  const caller: SubscriptionCaller = { identity, source };
  return { schema, document, operationName: payload.operationName ?? undefined, variableValues: coerced.coerced, contextValue: caller };
}
