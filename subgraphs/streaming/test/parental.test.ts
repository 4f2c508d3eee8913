// Parental PINs through the real gateway, with the real auth, content, payment and streaming subgraphs: a
// profile with a PIN is locked on every device until unlocked there (unlockProfile), for 12 hours or until that
// device signs out; locked, it cannot play, change its watchlist, ratings or progress, or be edited. The
// contract's operations as the files spell them; UnlockProfile and ProfilePin as clients/operations/parental.graphql
// spells them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { codeOf, contractOperation, type GraphQLResult, type RunningSupergraph, startSupergraph } from "@watchflixx/testing";
import { authSubgraph } from "@watchflixx/auth";
import { contentSubgraph } from "@watchflixx/content";
import { paymentSubgraph } from "@watchflixx/payment";
import { streamingSubgraph } from "../src/index.ts";
import { film } from "./support.ts";

const playback = (name: string) => contractOperation("web/playback.graphql", name);
const auth = (name: string) => contractOperation("web/auth.graphql", name);
const billing = (name: string) => contractOperation("web/billing.graphql", name);
const UNLOCK = `mutation UnlockProfile($profileId: ID!, $pin: String!) {
  unlockProfile(profileId: $profileId, pin: $pin)
}`;
const PROFILE_PIN = `query ProfilePin($id: ID!) {
  profile(id: $id) { id hasPin }
}`;
const REVIEW_AUTHORS = `query ReviewAuthors($id: ID!) {
  content(id: $id) {
    reviews { profile { id name avatarUrl isKids maturityRating hasPin version } }
  }
}`;
const PASSWORD = "a long enough passphrase 42";

const reason = (result: GraphQLResult) => result.errors?.[0]?.extensions?.reason;
/** The refusal a locked profile gets. */
const locked = (result: GraphQLResult) => [codeOf(result), reason(result)];

let database: TestDatabase;
let supergraph: RunningSupergraph;
let signUps = 0;

beforeAll(async () => {
  database = await createTestDatabase({ seeded: true });
  supergraph = await startSupergraph({
    db: database.db,
    config: { LOG_LEVEL: "error" },
    subgraphs: [authSubgraph, contentSubgraph, paymentSubgraph, streamingSubgraph],
  });
});
afterAll(async () => {
  await supergraph?.stop();
  await database?.drop();
});

/** A subscribed account signed in on a first device (A), with a profile protected by `pin`. */
async function family(pin: string, maturityRating = "R") {
  signUps += 1;
  const email = `parent-${signUps}-${Date.now()}@example.test`;
  const signedUp = await supergraph.gql(auth("SignUp"), { input: { email, password: PASSWORD, name: "Parent" } });
  expect(signedUp.errors).toBeUndefined();
  const deviceA: string = signedUp.data.signUp.accessToken;
  const created = await supergraph.gql(auth("CreateProfile"), { input: { name: "Grown-up", maturityRating, pin } }, { token: deviceA });
  expect(created.errors).toBeUndefined();
  const plans = await supergraph.gql(billing("Plans"));
  const standard = plans.data.plans.find((plan: { name: string }) => plan.name === "Standard");
  expect((await supergraph.gql(billing("Subscribe"), { input: { planId: standard.id } }, { token: deviceA })).errors).toBeUndefined();
  const signInWithRefresh = async (deviceName: string): Promise<{ accessToken: string; refreshToken: string }> => {
    const signedIn = await supergraph.gql(auth("SignIn"), { input: { email, password: PASSWORD, deviceName, deviceType: "TV" } });
    expect(signedIn.errors).toBeUndefined();
    return signedIn.data.signIn;
  };
  const signInOn = async (deviceName: string): Promise<string> => (await signInWithRefresh(deviceName)).accessToken;
  return { deviceA, signInOn, signInWithRefresh, profileId: created.data.createProfile.id as string };
}

const unlock = (token: string, profileId: string, pin: string) => supergraph.gql(UNLOCK, { profileId, pin }, { token });
const start = (token: string, profileId: string, contentId: string) =>
  supergraph.gql(playback("StartPlayback"), { input: { profileId, contentId } }, { token });
const report = (token: string, sessionId: string, positionSeconds: number, event = "HEARTBEAT") =>
  supergraph.gql(playback("ReportProgress"), { input: { sessionId, positionSeconds, event } }, { token });
const version = async (token: string, profileId: string): Promise<number> =>
  (await supergraph.gql(`query ($id: ID!) { profile(id: $id) { version } }`, { id: profileId }, { token })).data.profile.version;
const update = async (token: string, profileId: string, input: Record<string, unknown>) =>
  supergraph.gql(auth("UpdateProfile"), { id: profileId, input: { expectedVersion: await version(token, profileId), ...input } }, { token });

describe("a profile with a PIN", () => {
  it("is locked on every device until unlocked there: no playback, watchlist, rating, progress or edit", async () => {
    const { deviceA, signInOn, profileId } = await family("2468");
    const deviceB = await signInOn("Living-room TV");
    const title = await film(database.db, "R");
    const other = await film(database.db, "PG13");

    const refusals = {
      play: await start(deviceA, profileId, title.id),
      addToWatchlist: await supergraph.gql(playback("AddToWatchlist"), { profileId, contentId: title.id }, { token: deviceA }),
      removeFromWatchlist: await supergraph.gql(playback("RemoveFromWatchlist"), { profileId, contentId: title.id }, { token: deviceA }),
      rate: await supergraph.gql(playback("RateContent"), { input: { profileId, contentId: title.id, rating: 5 } }, { token: deviceA }),
      update: await update(deviceA, profileId, { name: "Renamed" }),
      delete: await supergraph.gql(auth("DeleteProfile"), { id: profileId }, { token: deviceA }),
    };
    for (const [what, result] of Object.entries(refusals)) expect({ what, refusal: locked(result) }).toEqual({ what, refusal: ["FORBIDDEN", "PROFILE_LOCKED"] });
    expect(await database.db.viewingSession.count({ where: { profileId } })).toBe(0);
    expect(await database.db.profile.findUniqueOrThrow({ where: { id: profileId }, select: { name: true } })).toEqual({ name: "Grown-up" });

    // A wrong PIN unlocks nothing; the right one unlocks device A only.
    const wrong = await unlock(deviceA, profileId, "1111");
    expect([codeOf(wrong), reason(wrong)]).toEqual(["FORBIDDEN", "WRONG_PIN"]);
    expect(locked(await start(deviceA, profileId, title.id))).toEqual(["FORBIDDEN", "PROFILE_LOCKED"]);
    expect((await unlock(deviceA, profileId, "2468")).data?.unlockProfile).toBe(true);

    const started = await start(deviceA, profileId, title.id);
    expect(started.errors).toBeUndefined();
    const sessionId: string = started.data.startPlayback.id;
    expect((await report(deviceA, sessionId, 120)).errors).toBeUndefined();
    expect((await supergraph.gql(playback("AddToWatchlist"), { profileId, contentId: other.id }, { token: deviceA })).errors).toBeUndefined();
    expect((await supergraph.gql(playback("RateContent"), { input: { profileId, contentId: other.id, rating: 4 } }, { token: deviceA })).errors).toBeUndefined();
    const renamed = await update(deviceA, profileId, { name: "Renamed" });
    expect(renamed.errors).toBeUndefined();
    expect(renamed.data.updateProfile.name).toBe("Renamed");

    // Device B is still locked out, for starting and for reporting progress on A's session.
    expect(locked(await start(deviceB, profileId, other.id))).toEqual(["FORBIDDEN", "PROFILE_LOCKED"]);
    expect(locked(await report(deviceB, sessionId, 240))).toEqual(["FORBIDDEN", "PROFILE_LOCKED"]);
    expect(locked(await supergraph.gql(playback("RemoveFromWatchlist"), { profileId, contentId: other.id }, { token: deviceB }))).toEqual(["FORBIDDEN", "PROFILE_LOCKED"]);
    expect((await database.db.viewingSession.findUniqueOrThrow({ where: { id: sessionId } })).positionSeconds).toBe(120);

    // Device A signs out: the profile locks again there (its access token is still valid until it expires).
    expect((await report(deviceA, sessionId, 180, "STOP")).errors).toBeUndefined();
    expect((await supergraph.gql(auth("SignOut"), {}, { token: deviceA })).data.signOut).toBe(true);
    expect(locked(await start(deviceA, profileId, title.id))).toEqual(["FORBIDDEN", "PROFILE_LOCKED"]);
    expect(await database.db.profileUnlock.count({ where: { profileId } })).toBe(0);
  });

  it("locks again on a device whose refresh-token family is revoked (a reused refresh token)", async () => {
    const { signInWithRefresh, profileId } = await family("5555");
    const title = await film(database.db, "PG13", 2);
    const device = await signInWithRefresh("Kitchen tablet");
    expect((await unlock(device.accessToken, profileId, "5555")).data?.unlockProfile).toBe(true);
    const rotated = await supergraph.gql(auth("RefreshToken"), { refreshToken: device.refreshToken });
    expect(rotated.errors).toBeUndefined();
    const token: string = rotated.data.refreshToken.accessToken;
    expect((await supergraph.gql(playback("AddToWatchlist"), { profileId, contentId: title.id }, { token })).errors).toBeUndefined();

    // Someone replays the old refresh token: the whole family is revoked, and the profile locks on that device.
    expect(codeOf(await supergraph.gql(auth("RefreshToken"), { refreshToken: device.refreshToken }))).toBe("UNAUTHENTICATED");
    expect(locked(await supergraph.gql(playback("RemoveFromWatchlist"), { profileId, contentId: title.id }, { token }))).toEqual(["FORBIDDEN", "PROFILE_LOCKED"]);
    expect(await database.db.profileUnlock.count({ where: { profileId } })).toBe(0);
  });

  it("locks again 12 hours after it was unlocked", async () => {
    const { deviceA, profileId } = await family("1357");
    const title = await film(database.db, "PG13", 1);
    expect((await unlock(deviceA, profileId, "1357")).data?.unlockProfile).toBe(true);
    // Eleven hours on, still unlocked.
    await database.db.profileUnlock.updateMany({ where: { profileId }, data: { unlockedAt: new Date(Date.now() - 11 * 60 * 60 * 1000) } });
    expect((await supergraph.gql(playback("AddToWatchlist"), { profileId, contentId: title.id }, { token: deviceA })).errors).toBeUndefined();
    await database.db.profileUnlock.updateMany({ where: { profileId }, data: { unlockedAt: new Date(Date.now() - 12 * 60 * 60 * 1000 - 60_000) } });
    expect(locked(await start(deviceA, profileId, title.id))).toEqual(["FORBIDDEN", "PROFILE_LOCKED"]);
    expect(locked(await supergraph.gql(playback("RemoveFromWatchlist"), { profileId, contentId: title.id }, { token: deviceA }))).toEqual(["FORBIDDEN", "PROFILE_LOCKED"]);
    // Unlocking again starts a new 12 hours.
    expect((await unlock(deviceA, profileId, "1357")).data?.unlockProfile).toBe(true);
    expect((await start(deviceA, profileId, title.id)).errors).toBeUndefined();
  });

  it("needs the current PIN to remove or change the PIN or to raise the maturity limit", async () => {
    const { deviceA, profileId } = await family("8080", "PG13");
    expect((await unlock(deviceA, profileId, "8080")).data?.unlockProfile).toBe(true);

    for (const input of [{ pin: null }, { pin: "0000" }, { maturityRating: "NC17" }, { maturityRating: "R", currentPin: "1234" }, { pin: null, currentPin: "0808" }]) {
      const refused = await update(deviceA, profileId, input);
      expect({ input, refusal: [codeOf(refused), reason(refused)] }).toEqual({ input, refusal: ["FORBIDDEN", "WRONG_PIN"] });
    }
    expect(await database.db.profile.findUniqueOrThrow({ where: { id: profileId }, select: { maturityRating: true } })).toEqual({ maturityRating: "PG13" });
    expect((await supergraph.gql(PROFILE_PIN, { id: profileId }, { token: deviceA })).data.profile).toEqual({ id: profileId, hasPin: true });

    // Lowering the limit needs no PIN; raising it and removing the PIN with the PIN are accepted.
    expect((await update(deviceA, profileId, { maturityRating: "PG" })).data.updateProfile.maturityRating).toBe("PG");
    expect((await update(deviceA, profileId, { maturityRating: "R", currentPin: "8080" })).data.updateProfile.maturityRating).toBe("R");
    expect((await update(deviceA, profileId, { pin: null, currentPin: "8080" })).errors).toBeUndefined();
    expect((await supergraph.gql(PROFILE_PIN, { id: profileId }, { token: deviceA })).data.profile).toEqual({ id: profileId, hasPin: false });
    // Without a PIN, nothing is locked and raising the limit needs nothing.
    expect((await update(deviceA, profileId, { maturityRating: "NC17" })).data.updateProfile.maturityRating).toBe("NC17");
  });

  it("refuses wrong PINs with WRONG_PIN, then RATE_LIMITED for that profile, even when guesses arrive together", async () => {
    const { deviceA, signInOn, profileId } = await family("4321");
    const guesses = await Promise.all(["0000", "0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009"].map((pin) => unlock(deviceA, profileId, pin)));
    const reasons = guesses.map((result) => reason(result) ?? codeOf(result));
    // Five attempts per profile in 15 minutes: never more checked, whatever the concurrency.
    expect(reasons.filter((r) => r === "WRONG_PIN")).toHaveLength(5);
    expect(reasons.filter((r) => r === "RATE_LIMITED")).toHaveLength(5);
    // Now even the right PIN, from another device, waits.
    const deviceB = await signInOn("Tablet");
    const refused = await unlock(deviceB, profileId, "4321");
    expect(codeOf(refused)).toBe("RATE_LIMITED");
    expect(refused.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
    expect(await database.db.profileUnlock.count({ where: { profileId } })).toBe(0);

    // Another profile is not affected.
    const other = await family("9999");
    expect((await unlock(other.deviceA, other.profileId, "9999")).data?.unlockProfile).toBe(true);
  });

  it("shows hasPin to its own account only", async () => {
    const { deviceA, profileId } = await family("2222");
    const title = await film(database.db, "PG", 2);
    expect((await unlock(deviceA, profileId, "2222")).data?.unlockProfile).toBe(true);
    const rated = await supergraph.gql(playback("RateContent"), { input: { profileId, contentId: title.id, rating: 5, body: "Lovely." } }, { token: deviceA });
    expect(rated.errors).toBeUndefined();

    const stranger = await family("3333");
    const theirs = await supergraph.gql(PROFILE_PIN, { id: profileId }, { token: stranger.deviceA });
    expect(theirs.data?.profile ?? null).toBeNull();
    expect(codeOf(theirs)).toBe("NOT_FOUND");
    const authors = await supergraph.gql(REVIEW_AUTHORS, { id: title.id }, { token: stranger.deviceA });
    expect(authors.data.content.reviews).toContainEqual({ profile: { id: profileId, name: "Grown-up", avatarUrl: null, isKids: null, maturityRating: null, hasPin: null, version: null } });
    const own = await supergraph.gql(REVIEW_AUTHORS, { id: title.id }, { token: deviceA });
    expect(own.data.content.reviews).toContainEqual({ profile: expect.objectContaining({ id: profileId, hasPin: true }) });
  });
});
