// The gateway's side of the signed identity (packages/common/src/identity.ts). Data sources put the caller's
// claims in a subgraph request's headers (`willSendRequest`); the fetcher signs them together with the exact
// body it sends, just before sending, since only there is the body final. A captured header set is then
// worthless for any other body, and for this one after SIGNATURE_MAX_AGE_MS.
import type { RemoteGraphQLDataSource } from "@apollo/gateway";
import { IDENTITY_HEADERS, identityClaimHeaders, signClaimHeaders, type SignedCaller } from "@watchflixx/common";

type Fetcher = RemoteGraphQLDataSource["fetcher"];

const CLAIMS = [IDENTITY_HEADERS.userId, IDENTITY_HEADERS.role, IDENTITY_HEADERS.deviceId, IDENTITY_HEADERS.clientAddress];

/** Wraps a subgraph fetcher: every request leaves with a signature over its claims (none: anonymous) and body. */
export function signingFetcher(fetcher: Fetcher, secret: string): Fetcher {
  return (url, init = {}) => {
    const headers = { ...init.headers };
    const claims: Record<string, string> = {};
    for (const name of CLAIMS) claims[name] = headers[name] ?? "";
    return fetcher(url, { ...init, headers: { ...headers, ...signClaimHeaders(claims, init.body, secret) } });
  };
}

/**
 * Sets a subgraph request's identity headers to the caller's claims, dropping any the client sent: only the
 * gateway speaks for the caller. The signing fetcher signs them.
 */
export function setCallerClaims(headers: { set(name: string, value: string): void; delete(name: string): void } | undefined, caller: SignedCaller): void {
  if (!headers) return;
  for (const name of Object.values(IDENTITY_HEADERS)) headers.delete(name);
  for (const [name, value] of Object.entries(identityClaimHeaders(caller))) headers.set(name, value);
}
