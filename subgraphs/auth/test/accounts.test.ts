// Sign-up, sign-in, `me`, refresh-token rotation with reuse detection, and sign-out, straight against the
// subgraph (identity as the gateway would sign it).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "@watchflixx/db";
import { Redis } from "ioredis";
import { ACCESS_TOKEN_TTL_SECONDS, RATE_LIMIT_DEFAULTS, sessionRevocationsChannel, type SessionRevocation } from "@watchflixx/common";
import { codeOf, startTestSubgraph } from "@watchflixx/testing";
import { authSubgraph } from "../src/index.ts";
import { SIGN_UP, signUp, startAuth, type AuthHarness } from "./helpers.ts";
import { hashRefreshToken } from "../src/services/session.service.ts";

const { points: SIGN_IN_FAILURE_LIMIT, seconds: SIGN_IN_WINDOW_SECONDS } = RATE_LIMIT_DEFAULTS["sign-in-email-address"];

const SIGN_IN = `mutation ($input: SignInInput!) {
  signIn(input: $input) { accessToken refreshToken accessTokenExpiresAt user { id email } }
}`;
const REFRESH = `mutation ($refreshToken: String!) { refreshToken(refreshToken: $refreshToken) { accessToken refreshToken user { id } } }`;
const ME = `{ me { id email name role createdAt settings { language } profiles { id } devices { id name type lastSeenAt } } }`;

describe("accounts", () => {
  let auth: AuthHarness;
  beforeAll(async () => {
    auth = await startAuth();
  });
  afterAll(async () => {
    await auth?.stop();
  });

  describe("signUp", () => {
    it("creates the account with a normalised email, a scrypt hash, settings, a device, a session and a UserCreated event", async () => {
      const result = await auth.gql(SIGN_UP, { input: { email: "  New.Viewer@Example.COM ", password: "long enough pw", name: " Ann " } });
      expect(result.errors).toBeUndefined();
      const { accessToken, refreshToken, user } = result.data.signUp;
      expect(user).toMatchObject({ email: "new.viewer@example.com", name: "Ann", role: "USER" });

      const row = await auth.db.user.findUniqueOrThrow({ where: { id: user.id }, include: { settings: true, devices: true, refreshTokens: true } });
      expect(row.passwordHash).toMatch(/^scrypt\$/);
      expect(row.passwordHash).not.toContain("long enough pw");
      expect(await verifyPassword("long enough pw", row.passwordHash)).toBe(true);
      expect(row.settings).not.toBeNull();
      expect(row.devices).toHaveLength(1);
      expect(row.refreshTokens).toHaveLength(1);
      // Only the hash is stored.
      expect(row.refreshTokens[0]?.tokenHash).toBe(hashRefreshToken(refreshToken));
      expect(JSON.stringify(row.refreshTokens)).not.toContain(refreshToken);
      expect(row.refreshTokens[0]?.deviceId).toBe(row.devices[0]?.id);
      const expiresInDays = ((row.refreshTokens[0]?.expiresAt.getTime() ?? 0) - Date.now()) / 86_400_000;
      expect(Math.round(expiresInDays)).toBe(30);

      const identity = await auth.identityOf(accessToken);
      expect(identity).toEqual({ userId: user.id, role: "USER", deviceId: row.devices[0]?.id });
      const events = await auth.db.serviceEvent.findMany({ where: { aggregateId: user.id } });
      expect(events.map((e) => [e.eventType, e.service, e.aggregateType])).toEqual([["UserCreated", "auth", "user"]]);
    });

    it("issues a 15-minute access token", async () => {
      const result = await auth.gql(SIGN_UP, { input: { email: "ttl@example.com", password: "long enough pw", name: "T" } });
      const [, payload] = result.data.signUp.accessToken.split(".");
      const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
      expect(claims.exp - claims.iat).toBe(ACCESS_TOKEN_TTL_SECONDS);
      expect(ACCESS_TOKEN_TTL_SECONDS).toBe(15 * 60);
    });

    it.each([
      ["a malformed email", { email: "not-an-email", password: "long enough pw", name: "X" }, "email"],
      ["an email without a domain dot", { email: "someone@localhost", password: "long enough pw", name: "X" }, "email"],
      ["a 3-character password", { email: "short@example.com", password: "abc", name: "X" }, "password"],
      ["a 7-character password", { email: "seven@example.com", password: "1234567", name: "X" }, "password"],
      ["an empty name", { email: "noname@example.com", password: "long enough pw", name: "   " }, "name"],
    ])("refuses %s with BAD_USER_INPUT and writes nothing", async (_label, input, field) => {
      const usersBefore = await auth.db.user.count();
      const eventsBefore = await auth.db.serviceEvent.count();
      const result = await auth.gql(SIGN_UP, { input });
      expect(codeOf(result)).toBe("BAD_USER_INPUT");
      expect(result.errors?.[0]?.extensions?.field).toBe(field);
      expect(result.data).toBeNull();
      expect(await auth.db.user.count()).toBe(usersBefore);
      expect(await auth.db.user.findUnique({ where: { email: input.email.trim().toLowerCase() } })).toBeNull();
      expect(await auth.db.serviceEvent.count()).toBe(eventsBefore);
    });

    it("refuses an email already in use, whatever its case, with CONFLICT", async () => {
      await signUp(auth, { email: "taken@example.com" });
      const result = await auth.gql(SIGN_UP, { input: { email: "TAKEN@example.com ", password: "another password", name: "Y" } });
      expect(codeOf(result)).toBe("CONFLICT");
      expect(await auth.db.user.count({ where: { email: "taken@example.com" } })).toBe(1);
    });
  });

  describe("signIn", () => {
    it("signs in with any casing of the email and records the device", async () => {
      const account = await signUp(auth, { email: "signin@example.com", password: "my password 1" });
      const result = await auth.gql(SIGN_IN, {
        input: { email: "SignIn@Example.com", password: "my password 1", deviceName: "Living room", deviceType: "TV" },
      });
      expect(result.errors).toBeUndefined();
      expect(result.data.signIn.user).toEqual({ id: account.user.id, email: "signin@example.com" });
      const identity = await auth.identityOf(result.data.signIn.accessToken);
      const device = await auth.db.device.findUniqueOrThrow({ where: { id: identity.deviceId ?? "" } });
      expect(device).toMatchObject({ userId: account.user.id, name: "Living room", type: "TV", revokedAt: null });
      // A new refresh-token family for this sign-in.
      const families = await auth.db.refreshToken.groupBy({ by: ["familyId"], where: { userId: account.user.id } });
      expect(families).toHaveLength(2);
    });

    it("answers a wrong password and an unknown email the same way: UNAUTHENTICATED, generic message", async () => {
      // Fresh addresses: failed attempts are counted in Redis, which outlives this test's database.
      const account = await signUp(auth, { password: "right password" });
      const devicesBefore = await auth.db.device.count();
      const wrongPassword = await auth.gql(SIGN_IN, { input: { email: account.user.email, password: "wrong password" } });
      const unknownEmail = await auth.gql(SIGN_IN, { input: { email: `nobody-${randomUUID()}@example.com`, password: "right password" } });
      expect(codeOf(wrongPassword)).toBe("UNAUTHENTICATED");
      expect(codeOf(unknownEmail)).toBe("UNAUTHENTICATED");
      expect(wrongPassword.errors?.[0]?.message).toBe(unknownEmail.errors?.[0]?.message);
      expect(wrongPassword.errors?.[0]?.message).not.toMatch(/exist|unknown|no account/i);
      expect(await auth.db.device.count()).toBe(devicesBefore);
    });

    it(`refuses an email from an address after ${SIGN_IN_FAILURE_LIMIT} failed attempts, even with the right password, on every instance of its database`, async () => {
      const target = await signUp(auth, { password: "the real one" });
      const email = target.user.email;
      for (let attempt = 1; attempt <= SIGN_IN_FAILURE_LIMIT; attempt += 1) {
        expect(codeOf(await auth.gql(SIGN_IN, { input: { email, password: `guess ${attempt}` } }))).toBe("UNAUTHENTICATED");
      }
      const devicesBefore = await auth.db.device.count({ where: { userId: target.user.id } });
      const refused = await auth.gql(SIGN_IN, { input: { email: email.toUpperCase(), password: "the real one" } });
      expect(codeOf(refused)).toBe("RATE_LIMITED");
      expect(refused.errors?.[0]?.message).toBe("Too many sign-in attempts. Try again in 15 minutes.");
      const retryAfter = refused.errors?.[0]?.extensions?.retryAfterSeconds as number;
      expect(retryAfter).toBeGreaterThan(SIGN_IN_WINDOW_SECONDS - 60);
      expect(retryAfter).toBeLessThanOrEqual(SIGN_IN_WINDOW_SECONDS);
      expect(await auth.db.device.count({ where: { userId: target.user.id } })).toBe(devicesBefore);

      // Another account is not affected; another auth instance on the same database (sharing Redis) refuses the
      // same email; the same address in another database (another environment on that Redis) is not refused.
      const bystander = await signUp(auth, { password: "bystander pw" });
      expect((await auth.gql(SIGN_IN, { input: { email: bystander.user.email, password: "bystander pw" } })).errors).toBeUndefined();
      const secondInstance = await startTestSubgraph(authSubgraph, { db: auth.db });
      const elsewhere = await startAuth();
      try {
        const viaSecond = await secondInstance.gql(SIGN_IN, { input: { email, password: "the real one" } });
        expect(codeOf(viaSecond)).toBe("RATE_LIMITED");
        await signUp(elsewhere, { email, password: "the real one" });
        expect((await elsewhere.gql(SIGN_IN, { input: { email, password: "the real one" } })).errors).toBeUndefined();
      } finally {
        await secondInstance.stop();
        await elsewhere.stop();
      }
    });

    it("treats an unknown email like a known one, so the refusal tells nothing about who has an account", async () => {
      const email = `nobody-${randomUUID()}@example.com`;
      for (let attempt = 1; attempt <= SIGN_IN_FAILURE_LIMIT; attempt += 1) {
        expect(codeOf(await auth.gql(SIGN_IN, { input: { email, password: `guess ${attempt}` } }))).toBe("UNAUTHENTICATED");
      }
      const refused = await auth.gql(SIGN_IN, { input: { email, password: "anything" } });
      expect(codeOf(refused)).toBe("RATE_LIMITED");
      expect(refused.errors?.[0]?.message).toBe("Too many sign-in attempts. Try again in 15 minutes.");
    });

    it("starts counting again after a successful sign-in", async () => {
      const account = await signUp(auth, { password: "remembered it" });
      const email = account.user.email;
      const guesses = async () => {
        for (let attempt = 1; attempt < SIGN_IN_FAILURE_LIMIT; attempt += 1) {
          expect(codeOf(await auth.gql(SIGN_IN, { input: { email, password: `guess ${attempt}` } }))).toBe("UNAUTHENTICATED");
        }
      };
      await guesses();
      expect((await auth.gql(SIGN_IN, { input: { email, password: "remembered it" } })).errors).toBeUndefined();
      await guesses();
      expect((await auth.gql(SIGN_IN, { input: { email, password: "remembered it" } })).errors).toBeUndefined();
    });
  });

  describe("me", () => {
    it("is UNAUTHENTICATED without an identity", async () => {
      const result = await auth.gql(ME);
      expect(codeOf(result)).toBe("UNAUTHENTICATED");
      expect(result.data?.me ?? null).toBeNull();
    });

    it("returns the caller's account, settings, profiles and signed-in devices", async () => {
      const account = await signUp(auth);
      const result = await auth.gql(ME, {}, account.identity);
      expect(result.errors).toBeUndefined();
      expect(result.data.me).toMatchObject({ id: account.user.id, email: account.user.email, role: "USER", profiles: [], settings: { language: "en" } });
      expect(result.data.me.devices).toEqual([
        { id: account.identity.deviceId, name: "Web browser", type: "WEB", lastSeenAt: expect.any(String) },
      ]);
    });
  });

  describe("refreshToken", () => {
    it("rotates: the new pair works, the old refresh token is spent", async () => {
      const account = await signUp(auth);
      const first = await auth.gql(REFRESH, { refreshToken: account.refreshToken });
      expect(first.errors).toBeUndefined();
      const rotated = first.data.refreshToken;
      expect(rotated.refreshToken).not.toBe(account.refreshToken);
      expect(rotated.user.id).toBe(account.user.id);
      expect((await auth.identityOf(rotated.accessToken)).deviceId).toBe(account.identity.deviceId);

      const second = await auth.gql(REFRESH, { refreshToken: rotated.refreshToken });
      expect(second.errors).toBeUndefined();
      const rows = await auth.db.refreshToken.findMany({ where: { userId: account.user.id }, orderBy: { createdAt: "asc" } });
      expect(rows).toHaveLength(3);
      expect(new Set(rows.map((row) => row.familyId)).size).toBe(1);
      expect(rows.map((row) => row.rotatedAt !== null)).toEqual([true, true, false]);
    });

    it("reusing a rotated token revokes the whole family, including the newest token", async () => {
      const account = await signUp(auth);
      const rotated = (await auth.gql(REFRESH, { refreshToken: account.refreshToken })).data.refreshToken;

      const reuse = await auth.gql(REFRESH, { refreshToken: account.refreshToken });
      expect(codeOf(reuse)).toBe("UNAUTHENTICATED");
      // The legitimate-looking newest token no longer works either.
      const afterReuse = await auth.gql(REFRESH, { refreshToken: rotated.refreshToken });
      expect(codeOf(afterReuse)).toBe("UNAUTHENTICATED");
      const rows = await auth.db.refreshToken.findMany({ where: { userId: account.user.id } });
      expect(rows.every((row) => row.revokedAt !== null)).toBe(true);
      // The session's device is signed out too.
      const me = await auth.gql(ME, {}, account.identity);
      expect(me.data.me.devices).toEqual([]);
    });

    it("reuse in one family leaves the account's other sessions alone", async () => {
      const account = await signUp(auth, { password: "other session pw" });
      const other = (await auth.gql(SIGN_IN, { input: { email: account.input.email, password: "other session pw" } })).data.signIn;
      await auth.gql(REFRESH, { refreshToken: account.refreshToken });
      await auth.gql(REFRESH, { refreshToken: account.refreshToken });
      const stillWorks = await auth.gql(REFRESH, { refreshToken: other.refreshToken });
      expect(stillWorks.errors).toBeUndefined();
    });

    it("refuses unknown and expired tokens with UNAUTHENTICATED", async () => {
      expect(codeOf(await auth.gql(REFRESH, { refreshToken: "made-up-token" }))).toBe("UNAUTHENTICATED");
      const account = await signUp(auth);
      await auth.db.refreshToken.updateMany({ where: { userId: account.user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
      expect(codeOf(await auth.gql(REFRESH, { refreshToken: account.refreshToken }))).toBe("UNAUTHENTICATED");
    });

    it("two presentations of one token at once: at most one wins, and the family ends revoked", async () => {
      const account = await signUp(auth);
      const results = await Promise.all([
        auth.gql(REFRESH, { refreshToken: account.refreshToken }),
        auth.gql(REFRESH, { refreshToken: account.refreshToken }),
      ]);
      expect(results.filter((result) => !result.errors)).toHaveLength(1);
      const rows = await auth.db.refreshToken.findMany({ where: { userId: account.user.id } });
      expect(rows.every((row) => row.revokedAt !== null)).toBe(true);
    });
  });

  describe("ended sessions are announced to the gateways", () => {
    it("on sign-out (that device) and on a reused refresh token (its device)", async () => {
      const listener = new Redis(auth.config.REDIS_URL);
      const announced: SessionRevocation[] = [];
      listener.on("message", (_channel, message: string) => announced.push(JSON.parse(message) as SessionRevocation));
      await listener.subscribe(sessionRevocationsChannel());
      try {
        const signedOut = await signUp(auth);
        expect((await auth.gql("mutation { signOut }", {}, signedOut.identity)).data.signOut).toBe(true);
        const stolen = await signUp(auth);
        await auth.gql(REFRESH, { refreshToken: stolen.refreshToken });
        expect(codeOf(await auth.gql(REFRESH, { refreshToken: stolen.refreshToken }))).toBe("UNAUTHENTICATED");
        const mine = () => announced.filter((revocation) => [signedOut.user.id, stolen.user.id].includes(revocation.userId));
        await expect.poll(mine).toHaveLength(2);
        expect(mine()).toEqual([
          { userId: signedOut.user.id, deviceId: signedOut.identity.deviceId },
          { userId: stolen.user.id, deviceId: stolen.identity.deviceId },
        ]);
      } finally {
        listener.disconnect();
      }
    });
  });

  describe("signOut", () => {
    it("needs an identity", async () => {
      expect(codeOf(await auth.gql("mutation { signOut }"))).toBe("UNAUTHENTICATED");
    });

    it("revokes the current device's session only; true, then false (idempotent)", async () => {
      const account = await signUp(auth, { password: "two devices pw" });
      const other = (await auth.gql(SIGN_IN, { input: { email: account.input.email, password: "two devices pw" } })).data.signIn;

      const first = await auth.gql("mutation { signOut }", {}, account.identity);
      expect(first).toEqual({ data: { signOut: true } });
      expect(codeOf(await auth.gql(REFRESH, { refreshToken: account.refreshToken }))).toBe("UNAUTHENTICATED");
      const again = await auth.gql("mutation { signOut }", {}, account.identity);
      expect(again).toEqual({ data: { signOut: false } });

      // The other device is still signed in and listed; the signed-out one is not.
      expect((await auth.gql(REFRESH, { refreshToken: other.refreshToken })).errors).toBeUndefined();
      const otherIdentity = await auth.identityOf(other.accessToken);
      const me = await auth.gql(ME, {}, otherIdentity);
      expect(me.data.me.devices.map((device: { id: string }) => device.id)).toEqual([otherIdentity.deviceId]);
    });

    it("signs out everywhere when the token names no device", async () => {
      const account = await signUp(auth, { password: "everywhere pw" });
      const other = (await auth.gql(SIGN_IN, { input: { email: account.input.email, password: "everywhere pw" } })).data.signIn;
      const result = await auth.gql("mutation { signOut }", {}, { ...account.identity, deviceId: null });
      expect(result.data.signOut).toBe(true);
      expect(codeOf(await auth.gql(REFRESH, { refreshToken: account.refreshToken }))).toBe("UNAUTHENTICATED");
      expect(codeOf(await auth.gql(REFRESH, { refreshToken: other.refreshToken }))).toBe("UNAUTHENTICATED");
    });
  });
});
