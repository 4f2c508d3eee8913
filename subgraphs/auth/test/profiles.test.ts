// Profiles CRUD: ownership, the 5-profile limit, the kids maturity cap, hashed PINs, optimistic locking, and
// the ProfileCreated/Updated/Deleted events written with each change.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "@watchflixx/db";
import { codeOf } from "@watchflixx/testing";
import { signUp, startAuth, type AuthHarness } from "./helpers.ts";

const CREATE = `mutation ($input: CreateProfileInput!) {
  createProfile(input: $input) { id name isKids maturityRating avatarUrl version hasPin createdAt }
}`;
const UPDATE = `mutation ($id: ID!, $input: UpdateProfileInput!) {
  updateProfile(id: $id, input: $input) { id name maturityRating avatarUrl version hasPin }
}`;
const DELETE = `mutation ($id: ID!) { deleteProfile(id: $id) }`;
const UNLOCK = `mutation ($id: ID!, $pin: String!) { unlockProfile(profileId: $id, pin: $pin) }`;
const PROFILE = `query ($id: ID!) { profile(id: $id) { id name isKids maturityRating version settings { autoplayNext } } }`;

describe("profiles", () => {
  let auth: AuthHarness;
  beforeAll(async () => {
    auth = await startAuth();
  });
  afterAll(async () => {
    await auth?.stop();
  });

  async function createProfile(identity: Awaited<ReturnType<typeof signUp>>["identity"], input: Record<string, unknown>) {
    const result = await auth.gql(CREATE, { input }, identity);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data.createProfile as { id: string; version: number; name: string };
  }

  it("creates a profile with defaults, a hashed PIN, settings and a ProfileCreated event", async () => {
    const { identity } = await signUp(auth);
    const result = await auth.gql(CREATE, { input: { name: " Dad ", pin: "0420", avatarUrl: "https://cdn.example.com/a.png" } }, identity);
    expect(result.errors).toBeUndefined();
    const profile = result.data.createProfile;
    expect(profile).toMatchObject({ name: "Dad", isKids: false, maturityRating: "NC17", avatarUrl: "https://cdn.example.com/a.png", version: 1, hasPin: true });
    const row = await auth.db.profile.findUniqueOrThrow({ where: { id: profile.id }, include: { settings: true } });
    expect(row.pinHash).not.toBe("0420");
    expect(await verifyPassword("0420", row.pinHash ?? "")).toBe(true);
    expect(row.settings).not.toBeNull();
    const events = await auth.db.serviceEvent.findMany({ where: { aggregateId: profile.id } });
    expect(events.map((e) => e.eventType)).toEqual(["ProfileCreated"]);
    expect(JSON.stringify(events[0]?.payload)).not.toContain("0420");
  });

  it("gives a kids profile PG by default and refuses a rating above PG with BAD_USER_INPUT", async () => {
    const { identity } = await signUp(auth);
    const kids = await auth.gql(CREATE, { input: { name: "Kids", isKids: true } }, identity);
    expect(kids.data.createProfile).toMatchObject({ isKids: true, maturityRating: "PG" });
    const young = await auth.gql(CREATE, { input: { name: "Little", isKids: true, maturityRating: "G" } }, identity);
    expect(young.data.createProfile.maturityRating).toBe("G");

    const tooOld = await auth.gql(CREATE, { input: { name: "Teen", isKids: true, maturityRating: "R" } }, identity);
    expect(codeOf(tooOld)).toBe("BAD_USER_INPUT");
    expect(await auth.db.profile.count({ where: { userId: identity.userId, name: "Teen" } })).toBe(0);

    const raise = await auth.gql(UPDATE, { id: kids.data.createProfile.id, input: { expectedVersion: 1, maturityRating: "PG13" } }, identity);
    expect(codeOf(raise)).toBe("BAD_USER_INPUT");
    expect((await auth.db.profile.findUniqueOrThrow({ where: { id: kids.data.createProfile.id } })).maturityRating).toBe("PG");
  });

  it.each([
    ["an empty name", { name: "  " }],
    ["a 3-digit PIN", { name: "P", pin: "123" }],
    ["a PIN with letters", { name: "P", pin: "12a4" }],
    ["an avatarUrl that is not http(s)", { name: "P", avatarUrl: "javascript:alert(1)" }],
  ])("refuses %s with BAD_USER_INPUT and writes nothing", async (_label, input) => {
    const { identity } = await signUp(auth);
    const result = await auth.gql(CREATE, { input }, identity);
    expect(codeOf(result)).toBe("BAD_USER_INPUT");
    expect(await auth.db.profile.count({ where: { userId: identity.userId } })).toBe(0);
  });

  it("refuses a second profile with the same name on one account (CONFLICT)", async () => {
    const { identity } = await signUp(auth);
    await createProfile(identity, { name: "Sam" });
    expect(codeOf(await auth.gql(CREATE, { input: { name: "Sam" } }, identity))).toBe("CONFLICT");
  });

  it("refuses a 6th profile (FORBIDDEN), also when creates race", async () => {
    const { identity } = await signUp(auth);
    for (let i = 1; i <= 4; i += 1) await createProfile(identity, { name: `P${i}` });
    // Two at once for the last slot: exactly one gets it.
    const racing = await Promise.all([
      auth.gql(CREATE, { input: { name: "Fifth A" } }, identity),
      auth.gql(CREATE, { input: { name: "Fifth B" } }, identity),
    ]);
    expect(racing.filter((result) => !result.errors)).toHaveLength(1);
    expect(racing.map(codeOf).filter(Boolean)).toEqual(["FORBIDDEN"]);
    const sixth = await auth.gql(CREATE, { input: { name: "Sixth" } }, identity);
    expect(codeOf(sixth)).toBe("FORBIDDEN");
    expect(await auth.db.profile.count({ where: { userId: identity.userId } })).toBe(5);
  });

  it("profile(id) answers the caller's own profile, and null + NOT_FOUND for another account's or an unknown id", async () => {
    const alice = await signUp(auth);
    const bob = await signUp(auth);
    const alicesProfile = await createProfile(alice.identity, { name: "Alice" });

    const own = await auth.gql(PROFILE, { id: alicesProfile.id }, alice.identity);
    expect(own.data.profile).toMatchObject({ id: alicesProfile.id, name: "Alice", version: 1, settings: { autoplayNext: true } });

    for (const id of [alicesProfile.id, "00000000-0000-0000-0000-000000000000", "not-a-uuid"]) {
      const result = await auth.gql(PROFILE, { id }, bob.identity);
      expect(result.data).toEqual({ profile: null });
      expect(codeOf(result)).toBe("NOT_FOUND");
    }
    expect(codeOf(await auth.gql(PROFILE, { id: alicesProfile.id }))).toBe("UNAUTHENTICATED");
  });

  it("user B cannot change or delete user A's profiles (NOT_FOUND / false) and nothing changes", async () => {
    const alice = await signUp(auth);
    const bob = await signUp(auth);
    const profile = await createProfile(alice.identity, { name: "Mine" });

    const update = await auth.gql(UPDATE, { id: profile.id, input: { expectedVersion: 1, name: "Stolen" } }, bob.identity);
    expect(codeOf(update)).toBe("NOT_FOUND");
    expect(await auth.gql(DELETE, { id: profile.id }, bob.identity)).toEqual({ data: { deleteProfile: false } });
    const row = await auth.db.profile.findUniqueOrThrow({ where: { id: profile.id } });
    expect(row).toMatchObject({ name: "Mine", version: 1, userId: alice.identity.userId });
  });

  describe("updateProfile", () => {
    it("changes only the fields given, bumps the version and records ProfileUpdated", async () => {
      const { identity } = await signUp(auth);
      const profile = await createProfile(identity, { name: "Before", avatarUrl: "https://cdn.example.com/x.png", pin: "1234" });
      expect((await auth.gql(UNLOCK, { id: profile.id, pin: "1234" }, identity)).data.unlockProfile).toBe(true);
      const result = await auth.gql(UPDATE, { id: profile.id, input: { expectedVersion: 1, name: "After" } }, identity);
      expect(result.errors).toBeUndefined();
      expect(result.data.updateProfile).toEqual({
        id: profile.id,
        name: "After",
        maturityRating: "NC17",
        avatarUrl: "https://cdn.example.com/x.png",
        version: 2,
        hasPin: true,
      });
      const events = await auth.db.serviceEvent.findMany({ where: { aggregateId: profile.id }, orderBy: { id: "asc" } });
      expect(events.map((e) => e.eventType)).toEqual(["ProfileCreated", "ProfileUpdated"]);
      expect(events[1]?.payload).toMatchObject({ version: 2, changed: ["name"] });
    });

    it("null clears avatarUrl and pin (with the current PIN); a new PIN is stored hashed", async () => {
      const { identity } = await signUp(auth);
      const profile = await createProfile(identity, { name: "Clear", avatarUrl: "https://cdn.example.com/x.png", pin: "1234" });
      expect((await auth.gql(UNLOCK, { id: profile.id, pin: "1234" }, identity)).data.unlockProfile).toBe(true);
      const cleared = await auth.gql(UPDATE, { id: profile.id, input: { expectedVersion: 1, avatarUrl: null, pin: null, currentPin: "1234" } }, identity);
      expect(cleared.data.updateProfile).toMatchObject({ avatarUrl: null, hasPin: false, version: 2 });
      const repinned = await auth.gql(UPDATE, { id: profile.id, input: { expectedVersion: 2, pin: "9876" } }, identity);
      expect(repinned.data.updateProfile.hasPin).toBe(true);
      const row = await auth.db.profile.findUniqueOrThrow({ where: { id: profile.id } });
      expect(await verifyPassword("9876", row.pinHash ?? "")).toBe(true);
    });

    it("refuses null for name or maturityRating and a malformed PIN (BAD_USER_INPUT, no change)", async () => {
      const { identity } = await signUp(auth);
      const profile = await createProfile(identity, { name: "Strict" });
      for (const input of [{ name: null }, { maturityRating: null }, { pin: "12345" }, { name: "" }]) {
        const result = await auth.gql(UPDATE, { id: profile.id, input: { expectedVersion: 1, ...input } }, identity);
        expect(codeOf(result)).toBe("BAD_USER_INPUT");
      }
      expect((await auth.db.profile.findUniqueOrThrow({ where: { id: profile.id } })).version).toBe(1);
    });

    it("fails a stale expectedVersion with CONFLICT and changes nothing", async () => {
      const { identity } = await signUp(auth);
      const profile = await createProfile(identity, { name: "Locked" });
      const first = await auth.gql(UPDATE, { id: profile.id, input: { expectedVersion: 1, name: "First writer" } }, identity);
      expect(first.data.updateProfile.version).toBe(2);

      const stale = await auth.gql(UPDATE, { id: profile.id, input: { expectedVersion: 1, name: "Second writer", maturityRating: "PG" } }, identity);
      expect(codeOf(stale)).toBe("CONFLICT");
      expect(stale.errors?.[0]?.extensions?.currentVersion).toBe(2);
      const row = await auth.db.profile.findUniqueOrThrow({ where: { id: profile.id } });
      expect(row).toMatchObject({ name: "First writer", maturityRating: "NC17", version: 2 });
      expect(await auth.db.serviceEvent.count({ where: { aggregateId: profile.id, eventType: "ProfileUpdated" } })).toBe(1);
    });

    it("two writers with the same version: one wins, the other gets CONFLICT", async () => {
      const { identity } = await signUp(auth);
      const profile = await createProfile(identity, { name: "Race" });
      const results = await Promise.all(
        ["Writer A", "Writer B"].map((name) => auth.gql(UPDATE, { id: profile.id, input: { expectedVersion: 1, name } }, identity)),
      );
      expect(results.map(codeOf).sort()).toEqual(["CONFLICT", undefined]);
      expect((await auth.db.profile.findUniqueOrThrow({ where: { id: profile.id } })).version).toBe(2);
    });
  });

  it("deleteProfile deletes the caller's profile once: true, then false; ProfileDeleted recorded", async () => {
    const { identity } = await signUp(auth);
    const profile = await createProfile(identity, { name: "Gone" });
    expect(await auth.gql(DELETE, { id: profile.id }, identity)).toEqual({ data: { deleteProfile: true } });
    expect(await auth.gql(DELETE, { id: profile.id }, identity)).toEqual({ data: { deleteProfile: false } });
    expect(await auth.db.profile.findUnique({ where: { id: profile.id } })).toBeNull();
    const events = await auth.db.serviceEvent.findMany({ where: { aggregateId: profile.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.eventType)).toEqual(["ProfileCreated", "ProfileDeleted"]);
  });

  it("me.profiles lists the caller's profiles, oldest first, with the contract's fields", async () => {
    const { identity } = await signUp(auth);
    await createProfile(identity, { name: "One" });
    await createProfile(identity, { name: "Two", isKids: true });
    const result = await auth.gql(`{ me { profiles { id name isKids maturityRating avatarUrl version } } }`, {}, identity);
    expect(result.errors).toBeUndefined();
    expect(result.data.me.profiles.map((p: { name: string; maturityRating: string }) => [p.name, p.maturityRating])).toEqual([
      ["One", "NC17"],
      ["Two", "PG"],
    ]);
  });
});
