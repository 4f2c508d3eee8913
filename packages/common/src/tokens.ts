// Access tokens: short-lived HS256 JWTs. The auth subgraph issues them, the gateway verifies them.
// Refresh tokens are opaque random strings stored hashed by the auth subgraph, never JWTs.
import { jwtVerify, SignJWT, errors as joseErrors } from "jose";
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

/** Verifies a bearer token; an expired token is told apart from a forged one (clients refresh on expiry). */
export async function verifyAccessToken(token: string | undefined | null, secret: string): Promise<AccessTokenResult> {
  if (!token) return { error: "missing" };
  try {
    const { payload } = await jwtVerify(token, encoder.encode(secret), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ["HS256"],
      requiredClaims: ["exp"],
    });
    const role = payload.role === "STAFF" ? "STAFF" : "USER";
    if (!payload.sub || payload.exp === undefined) return { error: "invalid" };
    return {
      identity: { userId: payload.sub, role: role as Role, deviceId: typeof payload.did === "string" ? payload.did : null },
      expiresAt: new Date(payload.exp * 1000),
    };
  } catch (error) {
    return { error: error instanceof joseErrors.JWTExpired ? "expired" : "invalid" };
  }
}

/** Reads `Bearer <token>` from an Authorization header value. */
export function bearerToken(authorization: string | undefined | null): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? "");
  return match?.[1] ?? null;
}
