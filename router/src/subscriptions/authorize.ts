// Authorization is never shared: before a client joins a stream (and again when a subgraph revokes access), the
// owning subgraph runs the field's subscribe check with that client's own identity.
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { ErrorCode, signIdentityHeaders, type Identity, type Logger, type SubscriptionScope } from "@watchflixx/common";
import { formatError, internalServerError } from "./errors.ts";

export type AuthorizationDecision = { scope: SubscriptionScope } | { errors: GraphQLError[] };

/** One subscriber's upstream operation, as the owning subgraph is asked about it. */
export interface AuthorizationRequest {
  serviceName: string;
  operation: string;
  variables: Record<string, unknown>;
  identity: Identity;
}

export interface SubgraphAuthorizer {
  gatewaySecret: string;
  /** Deadline of the request to the subgraph. */
  timeoutMs: number;
  subgraphUrl(serviceName: string): string;
  logger: Logger;
}

/** The subgraph's decision for this identity (POST <subgraph>/authorize-subscription): a scope to subscribe with, or its errors. */
export async function authorizeSubscription(
  authorizer: SubgraphAuthorizer,
  { serviceName, operation, variables, identity }: AuthorizationRequest,
): Promise<AuthorizationDecision> {
  try {
    const request = JSON.stringify({ query: operation, variables });
    const response = await fetch(`${authorizer.subgraphUrl(serviceName)}/authorize-subscription`, {
      method: "POST",
      headers: { "content-type": "application/json", ...signIdentityHeaders(identity, authorizer.gatewaySecret, { body: request }) },
      body: request,
      signal: AbortSignal.timeout(authorizer.timeoutMs),
    });
    const body = (await response.json()) as { authorized?: boolean; scope?: SubscriptionScope; errors?: GraphQLFormattedError[] };
    if (response.ok && body.authorized) return { scope: body.scope === "subscriber" ? "subscriber" : "shared" };
    const errors = (body.errors ?? []).map(formatError);
    return { errors: errors.length > 0 ? errors : [new GraphQLError("You may not subscribe to this.", { extensions: { code: ErrorCode.FORBIDDEN } })] };
  } catch (error) {
    authorizer.logger.error(`subscription authorization at ${serviceName} failed`, error);
    return { errors: [internalServerError()] };
  }
}
