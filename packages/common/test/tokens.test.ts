// The access-token verifier (node:crypto HMAC, not jose's WebCrypto) keeps jose's checks: tokens jose signs
// verify; an altered, re-signed or mis-addressed token is refused; expiry is told apart only for a genuine token.
import { createHmac } from "node:crypto";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { ACCESS_TOKEN_TTL_SECONDS, issueAccessToken, verifyAccessToken, type Identity } from "../src/index.ts";

const secret = "a-test-secret-of-at-least-32-characters!";
const alice: Identity = { userId: "user-alice", role: "USER", deviceId: "device-1" };

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/** A token with any header and claims, signed with HS256 over what is given (or left unsigned). */
function handMade(header: Record<string, unknown>, claims: Record<string, unknown>, key = secret): string {
  const signingInput = `${base64url(header)}.${base64url(claims)}`;
  return `${signingInput}.${createHmac("sha256", key).update(signingInput).digest("base64url")}`;
}

const now = Date.now();
const seconds = Math.floor(now / 1000);
const goodClaims = { sub: alice.userId, role: "USER", iss: "watchflixx-auth", aud: "watchflixx-api", iat: seconds, exp: seconds + 60 };

describe("verifyAccessToken", () => {
  it("accepts what the auth subgraph issues, with the identity and expiry it carries", async () => {
    const token = await issueAccessToken(alice, secret, now);
    const result = await verifyAccessToken(token, secret, now);
    expect(result).toEqual({ identity: alice, expiresAt: new Date((seconds + ACCESS_TOKEN_TTL_SECONDS) * 1000) });
    const staff = await verifyAccessToken(await issueAccessToken({ userId: "user-staff", role: "STAFF", deviceId: null }, secret, now), secret, now);
    expect("identity" in staff && staff.identity).toEqual({ userId: "user-staff", role: "STAFF", deviceId: null });
  });

  it("refuses a token once its exp has passed (expired), and only then", async () => {
    const token = await issueAccessToken(alice, secret, now);
    const expiry = (seconds + ACCESS_TOKEN_TTL_SECONDS) * 1000;
    expect("identity" in (await verifyAccessToken(token, secret, expiry - 1000))).toBe(true);
    expect(await verifyAccessToken(token, secret, expiry)).toEqual({ error: "expired" });
    expect(await verifyAccessToken(token, secret, expiry + 3_600_000)).toEqual({ error: "expired" });
  });

  it("refuses an altered or forged token as invalid, even when it has also expired", async () => {
    const token = await issueAccessToken(alice, secret, now);
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const promoted = base64url({ ...JSON.parse(Buffer.from(payload, "base64url").toString()), role: "STAFF" });
    const flipped = `${signature.slice(0, -2)}${signature.endsWith("AA") ? "AB" : "AA"}`;
    const forged = await issueAccessToken({ ...alice, role: "STAFF" }, "another-secret-of-at-least-32-chars", now);
    const expiredForgery = await issueAccessToken(alice, "another-secret-of-at-least-32-chars", now - 3_600_000);
    for (const bad of [
      `${header}.${promoted}.${signature}`,
      `${header}.${payload}.${flipped}`,
      `${header}.${payload}.`,
      `${header}.${payload}.${signature}A`,
      `${header}.${payload}`,
      forged,
      expiredForgery,
      "not-a-jwt",
    ]) {
      expect(await verifyAccessToken(bad, secret, now)).toEqual({ error: "invalid" });
    }
    expect(await verifyAccessToken("", secret, now)).toEqual({ error: "missing" });
  });

  it("refuses other algorithms, issuers, audiences and tokens without exp or sub", async () => {
    const refused = [
      handMade({ alg: "none" }, goodClaims),
      handMade({ alg: "HS512" }, goodClaims),
      handMade({ alg: "HS256", crit: ["exp"], exp: 1 }, goodClaims),
      handMade({ alg: "HS256" }, { ...goodClaims, iss: "someone-else" }),
      handMade({ alg: "HS256" }, { ...goodClaims, aud: "another-api" }),
      handMade({ alg: "HS256" }, { ...goodClaims, exp: undefined }),
      handMade({ alg: "HS256" }, { ...goodClaims, exp: String(seconds + 60) }),
      handMade({ alg: "HS256" }, { ...goodClaims, sub: undefined }),
      handMade({ alg: "HS256" }, { ...goodClaims, nbf: seconds + 60 }),
      `${base64url({ alg: "none" })}.${base64url(goodClaims)}.`,
    ];
    for (const token of refused) expect(await verifyAccessToken(token, secret, now)).toEqual({ error: "invalid" });
    // The same hand-made shape with the right claims passes, so the refusals above are about the claim changed.
    expect("identity" in (await verifyAccessToken(handMade({ alg: "HS256" }, { ...goodClaims, aud: ["x", "watchflixx-api"] }), secret, now))).toBe(true);
  });

  it("agrees with jose on a token jose signs with extra claims", async () => {
    const token = await new SignJWT({ role: "STAFF", extra: [1, 2] })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("user-x")
      .setIssuer("watchflixx-auth")
      .setAudience("watchflixx-api")
      .setNotBefore(seconds - 10)
      .setExpirationTime(seconds + 30)
      .sign(new TextEncoder().encode(secret));
    expect(await verifyAccessToken(token, secret, now)).toEqual({
      identity: { userId: "user-x", role: "STAFF", deviceId: null },
      expiresAt: new Date((seconds + 30) * 1000),
    });
  });
});
