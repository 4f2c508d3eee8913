// Who is calling. The gateway verifies the access token once and forwards the caller's identity to
// subgraphs in headers, signed with an HMAC over those headers and a timestamp. A subgraph believes the
// headers only when the signature checks out; a request sent straight to a subgraph port gets no identity.
import { createHmac, timingSafeEqual } from "node:crypto";

/** SERVICE is the gateway acting for itself (its shared upstream subscriptions), never a person. */
export type Role = "USER" | "STAFF" | "SERVICE";

export interface Identity {
  userId: string;
  role: Role;
  /** The device the access token was issued to, when known. */
  deviceId: string | null;
}

export const IDENTITY_HEADERS = {
  userId: "x-watchflixx-user-id",
  role: "x-watchflixx-user-role",
  deviceId: "x-watchflixx-device-id",
  timestamp: "x-watchflixx-timestamp",
  signature: "x-watchflixx-signature",
} as const;

/** How old a signed identity may be: covers clock skew between gateway and subgraph, limits replay. */
const MAX_AGE_MS = 5 * 60 * 1000;

function sign(secret: string, identity: Identity, timestamp: string): string {
  return createHmac("sha256", secret)
    .update([identity.userId, identity.role, identity.deviceId ?? "", timestamp].join("\n"))
    .digest("base64url");
}

/** Headers the gateway adds to every subgraph request made for an authenticated caller. */
export function signIdentityHeaders(identity: Identity, secret: string, now = Date.now()): Record<string, string> {
  const timestamp = String(now);
  return {
    [IDENTITY_HEADERS.userId]: identity.userId,
    [IDENTITY_HEADERS.role]: identity.role,
    [IDENTITY_HEADERS.deviceId]: identity.deviceId ?? "",
    [IDENTITY_HEADERS.timestamp]: timestamp,
    [IDENTITY_HEADERS.signature]: sign(secret, identity, timestamp),
  };
}

type HeaderBag = { get(name: string): string | null | undefined } | Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === "function") {
    return (headers as { get(name: string): string | null | undefined }).get(name) ?? undefined;
  }
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The caller's identity if the gateway signed it, otherwise null (anonymous). */
export function readIdentityHeaders(headers: HeaderBag, secret: string, now = Date.now()): Identity | null {
  const userId = header(headers, IDENTITY_HEADERS.userId);
  const role = header(headers, IDENTITY_HEADERS.role);
  const timestamp = header(headers, IDENTITY_HEADERS.timestamp);
  const signature = header(headers, IDENTITY_HEADERS.signature);
  if (!userId || !timestamp || !signature || (role !== "USER" && role !== "STAFF" && role !== "SERVICE")) return null;
  const age = now - Number(timestamp);
  if (!Number.isFinite(age) || Math.abs(age) > MAX_AGE_MS) return null;
  const identity: Identity = { userId, role, deviceId: header(headers, IDENTITY_HEADERS.deviceId) || null };
  const expected = Buffer.from(sign(secret, identity, timestamp));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? identity : null;
}
