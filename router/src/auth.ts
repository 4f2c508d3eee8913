// Authentication happens once, here: the gateway verifies the caller's access token and forwards who the caller
// is to the subgraphs in HMAC-signed headers. Subgraphs never see the token.
//
// A request without a token is anonymous (each field decides whether that is enough). A request WITH a token
// that is expired, forged or malformed fails as a whole with an `UNAUTHENTICATED` GraphQL error, HTTP 200:
// Apollo Client hands such errors to `onError` as `graphQLErrors`, where the usual "refresh the token and retry
// the operation" link looks for `extensions.code === "UNAUTHENTICATED"` (a 401 would arrive as a network error
// instead). `extensions.reason` tells the client whether to refresh (`TOKEN_EXPIRED`) or sign in again
// (`TOKEN_INVALID`).
import { GraphQLError } from "graphql";
import { bearerToken, ErrorCode, verifyAccessToken, type Identity } from "@watchflixx/common";

export type AuthenticationFailureReason = "TOKEN_EXPIRED" | "TOKEN_INVALID";

export class AuthenticationFailedError extends GraphQLError {
  constructor(reason: AuthenticationFailureReason) {
    super(reason === "TOKEN_EXPIRED" ? "Your access token has expired. Refresh it and try again." : "Your access token is not valid. Sign in again.", {
      extensions: { code: ErrorCode.UNAUTHENTICATED, reason, http: { status: 200 } },
    });
  }
}

/** What every gateway request carries from the context function to the subgraph data sources. */
export interface GatewayContext {
  identity: Identity | null;
  requestId: string;
  /** Where the request came from (see client-address.ts); forwarded to the subgraphs, signed. */
  clientAddress: string | null;
}

/** A verified caller, and when the token they proved it with expires. */
export interface AuthenticatedSession {
  identity: Identity;
  expiresAt: Date;
}

/**
 * Who is calling, from an `Authorization` header value (HTTP) or a `connectionParams.authorization` value
 * (WebSocket): null when there is no token; throws AuthenticationFailedError when the token does not verify.
 */
export async function authenticateSession(authorization: string | null | undefined, jwtSecret: string): Promise<AuthenticatedSession | null> {
  const value = authorization?.trim();
  if (!value) return null;
  const token = bearerToken(value);
  if (!token) throw new AuthenticationFailedError("TOKEN_INVALID");
  const result = await verifyAccessToken(token, jwtSecret);
  if ("identity" in result) return { identity: result.identity, expiresAt: result.expiresAt };
  throw new AuthenticationFailedError(result.error === "expired" ? "TOKEN_EXPIRED" : "TOKEN_INVALID");
}

/** The caller of one HTTP request (see authenticateSession). */
export async function authenticate(authorization: string | null | undefined, jwtSecret: string): Promise<Identity | null> {
  return (await authenticateSession(authorization, jwtSecret))?.identity ?? null;
}
