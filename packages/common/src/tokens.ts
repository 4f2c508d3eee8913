// Access tokens: short-lived HS256 JWTs. The auth subgraph issues them, the gateway verifies them.
// Refresh tokens are opaque random strings stored hashed by the auth subgraph, never JWTs.
import { createHmac, timingSafeEqual } from "node:crypto";
import { SignJWT } from "jose";
import type { Identity, Role } from "./identity.ts";

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const ISSUER = "watchflixx-auth";
const AUDIENCE = "watchflixx-api";

const encoder = new TextEncoder();

export async function issueAccessToken(identity: Identity, secret: string, now = Date.now()): Promise<string> {
  const issuedAt = Math.floor(now / 1000);
  return new SignJWT({ role: identity.role, ...(identity.deviceId ? { did: identity.deviceId } : {}) })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(identity.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ACCESS_TOKEN_TTL_SECONDS)
    .sign(encoder.encode(secret));
}

/** `expiresAt`: when the token stops being valid (a long-lived WebSocket is closed then). */
export type AccessTokenResult = { identity: Identity; expiresAt: Date } | { error: "missing" | "expired" | "invalid" };

/**
 * Verifies a bearer token; an expired token is told apart from a forged one (clients refresh on expiry).
 * The checks are jose's `jwtVerify` with HS256, issuer, audience and a required `exp`, done with node:crypto:
 * jose's HMAC goes through WebCrypto (a thread-pool job, ~0.6 ms of CPU per request at the gateway), a
 * synchronous `createHmac` costs microseconds. The signature is checked before any claim, so a forged token is
 * `invalid` even when its `exp` has passed.
 */
export async function verifyAccessToken(token: string | undefined | null, secret: string, now = Date.now()): Promise<AccessTokenResult> {
  if (!token) return { error: "missing" };
  return verifyHs256AccessToken(token, secret, now);
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const utf8 = new TextDecoder("utf-8", { fatal: true });

function decodeJsonObject(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(utf8.decode(Buffer.from(segment, "base64url")));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function verifyHs256AccessToken(token: string, secret: string, now: number): AccessTokenResult {
  const invalid = { error: "invalid" } as const;
  const parts = token.split(".");
  if (parts.length !== 3) return invalid;
  const [encodedHeader, encodedPayload, signature] = parts as [string, string, string];
  if (!BASE64URL.test(encodedHeader) || !BASE64URL.test(encodedPayload) || !BASE64URL.test(signature)) return invalid;
  const header = decodeJsonObject(encodedHeader);
  // No critical header extension is understood here (jose refuses unknown ones too).
  if (!header || header.alg !== "HS256" || header.crit !== undefined) return invalid;
  // The expected signature's base64url text is canonical (43 characters for 32 bytes): compare the texts.
  const expected = Buffer.from(createHmac("sha256", secret).update(`${encodedHeader}.${encodedPayload}`).digest("base64url"));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return invalid;

  const payload = decodeJsonObject(encodedPayload);
  if (!payload) return invalid;
  const audience = payload.aud;
  const audienceMatches = audience === AUDIENCE || (Array.isArray(audience) && audience.includes(AUDIENCE));
  if (payload.iss !== ISSUER || !audienceMatches) return invalid;
  if (typeof payload.sub !== "string" || payload.sub === "") return invalid;
  const { exp, nbf, iat } = payload;
  if (typeof exp !== "number" || !Number.isFinite(exp)) return invalid;
  if (iat !== undefined && typeof iat !== "number") return invalid;
  const nowSeconds = Math.floor(now / 1000);
  if (nbf !== undefined && (typeof nbf !== "number" || nbf > nowSeconds)) return invalid;
  if (exp <= nowSeconds) return { error: "expired" };
  const role: Role = payload.role === "STAFF" ? "STAFF" : "USER";
  return {
    identity: { userId: payload.sub, role, deviceId: typeof payload.did === "string" ? payload.did : null },
    expiresAt: new Date(exp * 1000),
  };
}

/** Reads `Bearer <token>` from an Authorization header value. */
export function bearerToken(authorization: string | undefined | null): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? "");
  return match?.[1] ?? null;
}
