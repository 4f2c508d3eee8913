// The floor's caller check: the same HS256 access token the gateway verifies (signature, alg, exp), with
// node:crypto: what any hand-written service would do, and what it costs (microseconds).
import { createHmac, timingSafeEqual } from "node:crypto";

export interface FloorCaller {
  userId: string;
}

/** The caller of an `Authorization: Bearer <jwt>` header; null without one; throws on a bad or expired token. */
export function floorCaller(authorization: string | undefined, secret: string, now = Date.now()): FloorCaller | null {
  if (!authorization) return null;
  const token = /^Bearer (\S+)$/i.exec(authorization.trim())?.[1];
  const [header, payload, signature] = token?.split(".") ?? [];
  if (!header || !payload || !signature) throw new Error("invalid token");
  const expected = createHmac("sha256", secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error("invalid token");
  const { alg } = JSON.parse(Buffer.from(header, "base64url").toString("utf8")) as { alg?: string };
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { sub?: string; exp?: number };
  if (alg !== "HS256" || typeof claims.sub !== "string" || typeof claims.exp !== "number") throw new Error("invalid token");
  if (claims.exp * 1000 <= now) throw new Error("expired token");
  return { userId: claims.sub };
}
