// Who is calling, and from where. The gateway verifies the access token once and forwards the caller's identity
// and network address to subgraphs in headers, signed with an HMAC that also covers a timestamp and a hash of
// the exact body it sends. A subgraph believes the headers only when the signature checks out against the body
// it received and the timestamp is at most SIGNATURE_MAX_AGE_MS away: a header set captured on the wire is
// worthless for another body, and for the same body soon after. A request sent straight to a subgraph port gets
// no identity.
//
// Anonymous requests are signed too (empty user id and role): their client address is what auth limits
// sign-ins and sign-ups by.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/** SERVICE is the gateway acting for itself (its shared upstream subscriptions), never a person. */
export type Role = "USER" | "STAFF" | "SERVICE";

export interface Identity {
  userId: string;
  role: Role;
  /** The device the access token was issued to, when known. */
  deviceId: string | null;
}

/** What a signed request tells a subgraph: who (null: anonymous) and from which address (as the gateway saw it). */
export interface SignedCaller {
  identity: Identity | null;
  clientAddress: string | null;
}

export const IDENTITY_HEADERS = {
  userId: "x-watchflixx-user-id",
  role: "x-watchflixx-user-role",
  deviceId: "x-watchflixx-device-id",
  clientAddress: "x-watchflixx-client-address",
  timestamp: "x-watchflixx-timestamp",
  signature: "x-watchflixx-signature",
} as const;

/** How far a signature's timestamp may be from the receiver's clock: clock skew plus transit, nothing more. */
export const SIGNATURE_MAX_AGE_MS = 30_000;

/** What a WebSocket's connection_init is signed over, in place of a request body (plus a one-time nonce). */
export const WEBSOCKET_SIGNING_PURPOSE = "graphql-ws connection_init";

type Body = string | Uint8Array | null | undefined;

function bodyHash(body: Body): string {
  return createHash("sha256")
    .update(body ?? "")
    .digest("base64url");
}

function sign(secret: string, claims: Record<string, string>, body: Body): string {
  return createHmac("sha256", secret)
    .update(
      [
        "v2",
        claims[IDENTITY_HEADERS.userId] ?? "",
        claims[IDENTITY_HEADERS.role] ?? "",
        claims[IDENTITY_HEADERS.deviceId] ?? "",
        claims[IDENTITY_HEADERS.clientAddress] ?? "",
        claims[IDENTITY_HEADERS.timestamp] ?? "",
        bodyHash(body),
      ].join("\n"),
    )
    .digest("base64url");
}

/**
 * The unsigned claims about a caller, as headers. The gateway sets them when it prepares a subgraph request and
 * signs them (with the body) when it sends it: `signClaimHeaders`.
 */
export function identityClaimHeaders(caller: SignedCaller): Record<string, string> {
  return {
    [IDENTITY_HEADERS.userId]: caller.identity?.userId ?? "",
    [IDENTITY_HEADERS.role]: caller.identity?.role ?? "",
    [IDENTITY_HEADERS.deviceId]: caller.identity?.deviceId ?? "",
    [IDENTITY_HEADERS.clientAddress]: caller.clientAddress ?? "",
  };
}

/** Adds the timestamp and the signature over `claims` and `body` to the claims. */
export function signClaimHeaders(claims: Record<string, string>, body: Body, secret: string, now = Date.now()): Record<string, string> {
  const signed: Record<string, string> = { ...identityClaimHeaders({ identity: null, clientAddress: null }), ...claims, [IDENTITY_HEADERS.timestamp]: String(now) };
  signed[IDENTITY_HEADERS.signature] = sign(secret, signed, body);
  return signed;
}

export interface SigningOptions {
  /** The exact body the request will carry (a WebSocket: WEBSOCKET_SIGNING_PURPOSE and a nonce). */
  body: Body;
  clientAddress?: string | null;
  now?: number;
}

/** The headers for one request made for `identity` (null: anonymous) with exactly `options.body`. */
export function signIdentityHeaders(identity: Identity | null, secret: string, options: SigningOptions): Record<string, string> {
  return signClaimHeaders(identityClaimHeaders({ identity, clientAddress: options.clientAddress ?? null }), options.body, secret, options.now);
}

type HeaderBag = { get(name: string): string | null | undefined } | Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === "function") {
    return (headers as { get(name: string): string | null | undefined }).get(name) ?? undefined;
  }
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The caller the gateway vouched for, when the headers carry its valid signature over `body` made within
 * SIGNATURE_MAX_AGE_MS; otherwise null (not from the gateway, tampered with, another body, or too old).
 */
export function readSignedCaller(headers: HeaderBag, body: Body, secret: string, now = Date.now()): SignedCaller | null {
  const timestamp = header(headers, IDENTITY_HEADERS.timestamp);
  const signature = header(headers, IDENTITY_HEADERS.signature);
  if (!timestamp || !signature) return null;
  const age = now - Number(timestamp);
  if (!Number.isFinite(age) || Math.abs(age) > SIGNATURE_MAX_AGE_MS) return null;
  const claims: Record<string, string> = { [IDENTITY_HEADERS.timestamp]: timestamp };
  for (const name of [IDENTITY_HEADERS.userId, IDENTITY_HEADERS.role, IDENTITY_HEADERS.deviceId, IDENTITY_HEADERS.clientAddress]) {
    claims[name] = header(headers, name) ?? "";
  }
  const expected = Buffer.from(sign(secret, claims, body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  const userId = claims[IDENTITY_HEADERS.userId];
  const role = claims[IDENTITY_HEADERS.role];
  const identity: Identity | null =
    userId && (role === "USER" || role === "STAFF" || role === "SERVICE")
      ? { userId, role, deviceId: claims[IDENTITY_HEADERS.deviceId] || null }
      : null;
  return { identity, clientAddress: claims[IDENTITY_HEADERS.clientAddress] || null };
}

/** The caller's identity if the gateway signed it for this body, otherwise null (anonymous). */
export function readIdentityHeaders(headers: HeaderBag, body: Body, secret: string, now = Date.now()): Identity | null {
  return readSignedCaller(headers, body, secret, now)?.identity ?? null;
}
