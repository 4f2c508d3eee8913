// Streaming behind the real gateway, composed with the real auth, content and payment subgraphs: the client
// contract's operations sent as the files spell them, with access tokens as clients send them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { codeOf, contractOperation, contractOperationNames, countingDatabase, type CountingDatabase, type RunningSupergraph, startSupergraph, supergraphSchema, validationErrors, withoutFields } from "@watchflixx/testing";
import { authSubgraph } from "@watchflixx/auth";
import { contentSubgraph } from "@watchflixx/content";
import { paymentSubgraph } from "@watchflixx/payment";
import { streamingSubgraph } from "../src/index.ts";
import { film, sentStatements, series } from "./support.ts";

const playback = (name: string) => contractOperation("web/playback.graphql", name);
const auth = (name: string) => contractOperation("web/auth.graphql", name);
const billing = (name: string) => contractOperation("web/billing.graphql", name);
const catalog = (name: string) => contractOperation("web/catalog.graphql", name);
// `trending` belongs to the analytics subgraph, which this test does not start.
const TV_HOME = withoutFields(contractOperation("tv/home.graphql", "TvHome"), ["trending"]);

interface Viewer {
  token: string;
  userId: string;
  profileId: string;
}

let database: TestDatabase;
let counting: CountingDatabase;
let supergraph: RunningSupergraph;

beforeAll(async () => {
  database = await createTestDatabase({ seeded: true });
  counting = countingDatabase(database.url);
  supergraph = await startSupergraph({
    db: counting.db,
    config: { LOG_LEVEL: "error" },
    subgraphs: [authSubgraph, contentSubgraph, paymentSubgraph, streamingSubgraph],
  });
});
afterAll(async () => {
  await supergraph?.stop();
  await counting?.close();
  await database?.drop();
});

let signUps = 0;
async function signUp(name: string, profile: { isKids?: boolean } = {}): Promise<Viewer> {
  signUps += 1;
  const email = `${name.toLowerCase()}-${signUps}-${Date.now()}@example.test`;
  const signedUp = await supergraph.gql(auth("SignUp"), { input: { email, password: "a long enough passphrase 42", name } });
  expect(signedUp.errors).toBeUndefined();
  const token: string = signedUp.data.signUp.accessToken;
  const created = await supergraph.gql(auth("CreateProfile"), { input: { name, ...profile } }, { token });
  expect(created.errors).toBeUndefined();
  return { token, userId: signedUp.data.signUp.user.id, profileId: created.data.createProfile.id };
}

async function signIn(email: string): Promise<string> {
  const result = await supergraph.gql(auth("SignIn"), { input: { email, password: "watchflixx-demo" } });
  expect(result.errors).toBeUndefined();
  return result.data.signIn.accessToken;
}

async function subscribeTo(viewer: Viewer, planName: string): Promise<void> {
  const plans = await supergraph.gql(billing("Plans"));
  const plan = plans.data.plans.find((candidate: { name: string }) => candidate.name === planName);
  const subscribed = await supergraph.gql(billing("Subscribe"), { input: { planId: plan.id } }, { token: viewer.token });
  expect(subscribed.errors).toBeUndefined();
  expect(["ACTIVE", "TRIALING"]).toContain(subscribed.data.subscribe.status);
}

const start = (viewer: { token: string }, input: Record<string, unknown>) =>
  supergraph.gql(playback("StartPlayback"), { input }, { token: viewer.token });
const report = (viewer: { token: string }, sessionId: string, positionSeconds: number, event?: string) =>
  supergraph.gql(playback("ReportProgress"), { input: { sessionId, positionSeconds, ...(event ? { event } : {}) } }, { token: viewer.token });

describe("the contract", () => {
  it("validates every playback operation, the catalog's streaming fields and the TV home screen against the supergraph", () => {
    const schema = supergraphSchema(supergraph.supergraphSdl);
    for (const name of contractOperationNames("web/playback.graphql")) {
      expect({ name, errors: validationErrors(schema, playback(name)) }).toEqual({ name, errors: [] });
    }
    for (const name of ["ContentDetails", "Browse"]) {
      expect({ name, errors: validationErrors(schema, catalog(name)) }).toEqual({ name, errors: [] });
    }
    expect(validationErrors(schema, TV_HOME)).toEqual([]);
  });
});

describe("a subscriber's evening", () => {
  it("signs up, is asked to pay, subscribes, watches, resumes, rates, and sees the average change", async () => {
    const viewer = await signUp("Hana");
    const title = await film(counting.db, "PG13", 20);
    const details = () => supergraph.gql(catalog("ContentDetails"), { id: title.id, profileId: viewer.profileId }, { token: viewer.token });

    const before = await details();
    expect(before.errors).toBeUndefined();
    expect(before.data.content).toMatchObject({ id: title.id, averageRating: null, ratingCount: 0, reviews: [], progress: null });

    expect(codeOf(await start(viewer, { profileId: viewer.profileId, contentId: title.id }))).toBe("PAYMENT_REQUIRED");

    await subscribeTo(viewer, "Standard");
    const started = await start(viewer, { profileId: viewer.profileId, contentId: title.id });
    expect(started.errors).toBeUndefined();
    const session = started.data.startPlayback;
    const dbTitle = await counting.db.content.findUniqueOrThrow({ where: { id: title.id }, select: { title: true } });
    expect(session).toMatchObject({ resumePositionSeconds: 0, content: { id: title.id, title: dbTitle.title }, episode: null });
    expect(session.manifestUrl).toMatch(/^https:\/\/.+\.m3u8$/);

    const position = Math.round(title.durationSeconds * 0.4);
    const progress = await report(viewer, session.id, position);
    expect(progress.data.reportProgress).toEqual({ positionSeconds: position, progressPercent: 40, completed: false });
    await report(viewer, session.id, position, "STOP");

    const continuing = await supergraph.gql(playback("ContinueWatching"), { profileId: viewer.profileId }, { token: viewer.token });
    expect(continuing.errors).toBeUndefined();
    expect(continuing.data.continueWatching).toEqual([
      expect.objectContaining({ positionSeconds: position, progressPercent: 40, content: expect.objectContaining({ id: title.id, title: dbTitle.title }), episode: null }),
    ]);

    const resumed = await start(viewer, { profileId: viewer.profileId, contentId: title.id });
    expect(resumed.data.startPlayback.resumePositionSeconds).toBe(position);
    await report(viewer, resumed.data.startPlayback.id, position, "STOP");

    const rated = await supergraph.gql(
      playback("RateContent"),
      { input: { profileId: viewer.profileId, contentId: title.id, rating: 4, body: "Tense and beautifully shot." } },
      { token: viewer.token },
    );
    expect(rated.errors).toBeUndefined();
    expect(rated.data.rateContent).toMatchObject({ rating: 4, body: "Tense and beautifully shot.", content: { id: title.id, averageRating: 4, ratingCount: 1 } });

    const other = await signUp("Ivo");
    const secondOpinion = await supergraph.gql(
      playback("RateContent"),
      { input: { profileId: other.profileId, contentId: title.id, rating: 2 } },
      { token: other.token },
    );
    expect(secondOpinion.data.rateContent.content).toEqual({ id: title.id, averageRating: 3, ratingCount: 2 });

    const after = await details();
    expect(after.errors).toBeUndefined();
    expect(after.data.content).toMatchObject({
      averageRating: 3,
      ratingCount: 2,
      reviews: [expect.objectContaining({ rating: 4, body: "Tense and beautifully shot.", profile: { name: "Hana" } })],
      progress: { positionSeconds: position, progressPercent: 40, episode: null },
    });

    // Another account sees the review and its author's name, and no progress of someone else's profile.
    const asOther = await supergraph.gql(catalog("ContentDetails"), { id: title.id, profileId: viewer.profileId }, { token: other.token });
    expect(asOther.data.content.reviews[0].profile).toEqual({ name: "Hana" });
    expect(asOther.data.content.progress).toBeNull();
    expect(asOther.errors?.map((error) => error.extensions?.code)).toEqual(["NOT_FOUND"]);
  });

  it("keeps a watchlist, shown on the TV home screen with continue watching", async () => {
    const viewer = await signUp("Jun");
    await subscribeTo(viewer, "Premium");
    const [saved, watched] = [await film(counting.db, "PG", 20), await film(counting.db, "PG", 21)];
    const add = await supergraph.gql(playback("AddToWatchlist"), { profileId: viewer.profileId, contentId: saved.id }, { token: viewer.token });
    expect(add.errors).toBeUndefined();
    const again = await supergraph.gql(playback("AddToWatchlist"), { profileId: viewer.profileId, contentId: saved.id }, { token: viewer.token });
    expect(again.data.addToWatchlist).toEqual(add.data.addToWatchlist);

    const session = (await start(viewer, { profileId: viewer.profileId, contentId: watched.id })).data.startPlayback.id;
    await report(viewer, session, 300, "PAUSE");

    const home = await supergraph.gql(TV_HOME, { profileId: viewer.profileId }, { token: viewer.token });
    expect(home.errors).toBeUndefined();
    expect(home.data.profile).toMatchObject({ id: viewer.profileId, name: "Jun", isKids: false });
    expect(home.data.profile.watchlist).toEqual([{ content: expect.objectContaining({ id: saved.id }) }]);
    expect(home.data.continueWatching).toEqual([expect.objectContaining({ content: expect.objectContaining({ id: watched.id }), episode: null })]);
    expect(home.data.browse.edges.length).toBeGreaterThan(0);

    const list = await supergraph.gql(playback("Watchlist"), { profileId: viewer.profileId }, { token: viewer.token });
    expect(list.data.profile.watchlist).toEqual([{ addedAt: add.data.addToWatchlist.addedAt, content: expect.objectContaining({ id: saved.id }) }]);

    const remove = () => supergraph.gql(playback("RemoveFromWatchlist"), { profileId: viewer.profileId, contentId: saved.id }, { token: viewer.token });
    expect((await remove()).data.removeFromWatchlist).toBe(true);
    expect((await remove()).data.removeFromWatchlist).toBe(false);

    // Someone else's profile id is not found, and its watchlist is never shown.
    const stranger = await signUp("Kai");
    const peek = await supergraph.gql(playback("Watchlist"), { profileId: viewer.profileId }, { token: stranger.token });
    expect(peek.data?.profile ?? null).toBeNull();
    expect(codeOf(peek)).toBe("NOT_FOUND");
  });

  it("continues a series at the next episode after a finished one", async () => {
    const viewer = await signUp("Lea");
    await subscribeTo(viewer, "Standard");
    const show = await series(counting.db, ["G", "PG", "PG13"]);
    const [first, second] = show.episodes;
    const started = await start(viewer, { profileId: viewer.profileId, contentId: show.id });
    expect(started.data.startPlayback.episode).toMatchObject({ id: first!.id, number: first!.number });
    await report(viewer, started.data.startPlayback.id, first!.durationSeconds, "STOP");

    const continuing = await supergraph.gql(playback("ContinueWatching"), { profileId: viewer.profileId, first: 5 }, { token: viewer.token });
    expect(continuing.data.continueWatching).toEqual([
      expect.objectContaining({ positionSeconds: 0, episode: expect.objectContaining({ id: second!.id, number: second!.number, season: { number: second!.season } }) }),
    ]);
    const next = await start(viewer, { profileId: viewer.profileId, contentId: show.id });
    expect(next.data.startPlayback.episode.id).toBe(second!.id);
  });
});

describe("entitlement through the gateway", () => {
  it("unlocks one title only with a rental", async () => {
    const viewer = await signUp("Mia");
    const rentable = await counting.db.content.findFirstOrThrow({
      where: { type: "MOVIE", rentalPriceCents: { not: null }, publishedAt: { not: null }, maturityRating: { in: ["G", "PG", "PG13"] } },
      orderBy: { id: "asc" },
      select: { id: true },
    });
    const other = await film(counting.db, "PG", 22);
    const rented = await supergraph.gql(billing("RentContent"), { contentId: rentable.id }, { token: viewer.token });
    expect(rented.errors).toBeUndefined();

    const playing = await start(viewer, { profileId: viewer.profileId, contentId: rentable.id });
    expect(playing.errors).toBeUndefined();
    expect(playing.data.startPlayback.manifestUrl).toContain("/hd/");
    expect(codeOf(await start(viewer, { profileId: viewer.profileId, contentId: other.id }))).toBe("PAYMENT_REQUIRED");

    // Payment's consumer starts the 48-hour window from streaming's PlaybackStarted, shortly after the play:
    // the rental's end, as the billing page reads it, moves from 30 days after purchase to 48 hours after the play.
    const rentedId: string = rented.data.rentContent.id;
    const rentalEnd = async () => {
      const history = await supergraph.gql(billing("BillingHistory"), {}, { token: viewer.token });
      expect(history.errors).toBeUndefined();
      const rental = history.data.me.rentals.find((candidate: { id: string }) => candidate.id === rentedId);
      return new Date(rental.expiresAt).getTime();
    };
    await expect.poll(rentalEnd, { timeout: 15_000 }).toBeLessThanOrEqual(Date.now() + 48 * 3600 * 1000);
    const rental = await counting.db.rental.findUniqueOrThrow({ where: { id: rentedId } });
    expect(rental.status).toBe("ACTIVE");
    const session = await counting.db.viewingSession.findUniqueOrThrow({ where: { id: playing.data.startPlayback.id } });
    expect(rental.firstPlayedAt).toEqual(session.startedAt);
    expect(rental.expiresAt.getTime()).toBe(session.startedAt.getTime() + 48 * 3600 * 1000);
  });

  it("refuses one stream more than the plan allows, until a session has been silent for 2 minutes", async () => {
    // Alice (Standard: 2 streams) signs in on three devices; each sign-in is a device of its own.
    const devices = [];
    for (let i = 0; i < 3; i += 1) devices.push({ token: await signIn("alice@watchflixx.dev") });
    const user = await counting.db.user.findUniqueOrThrow({ where: { email: "alice@watchflixx.dev" }, select: { id: true, profiles: true } });
    const profileId = user.profiles.find((profile) => profile.name === "Alice")?.id;
    await counting.db.viewingSession.updateMany({ where: { userId: user.id, endedAt: null }, data: { endedAt: new Date() } });
    const titles = [await film(counting.db, "R", 20), await film(counting.db, "R", 21), await film(counting.db, "R", 22)];

    const sessions: string[] = [];
    for (const [index, title] of titles.slice(0, 2).entries()) {
      const started = await start(devices[index]!, { profileId, contentId: title.id });
      expect(started.errors).toBeUndefined();
      sessions.push(started.data.startPlayback.id);
    }
    const third = await start(devices[2]!, { profileId, contentId: titles[2]!.id });
    expect(codeOf(third)).toBe("FORBIDDEN");

    // The first device went quiet more than 2 minutes ago: its stream no longer counts.
    await counting.db.viewingSession.update({ where: { id: sessions[0] }, data: { lastHeartbeatAt: new Date(Date.now() - 2 * 60 * 1000 - 5000) } });
    const allowed = await start(devices[2]!, { profileId, contentId: titles[2]!.id });
    expect(allowed.errors).toBeUndefined();

    // Every open session counts, whichever device plays it: a second start on a playing device is refused too.
    expect(codeOf(await start(devices[1]!, { profileId, contentId: titles[0]!.id }))).toBe("FORBIDDEN");
    await counting.db.viewingSession.updateMany({ where: { userId: user.id, endedAt: null }, data: { endedAt: new Date() } });
  });

  it("does not let a kids profile start an R title", async () => {
    const viewer = await signUp("Noa");
    await subscribeTo(viewer, "Standard");
    const kids = await supergraph.gql(auth("CreateProfile"), { input: { name: "Little Noa", isKids: true } }, { token: viewer.token });
    expect(kids.errors).toBeUndefined();
    const rated = await film(counting.db, "R", 23);
    const refused = await start(viewer, { profileId: kids.data.createProfile.id, contentId: rated.id });
    expect(codeOf(refused)).toBe("FORBIDDEN");
    expect(await counting.db.viewingSession.count({ where: { userId: viewer.userId } })).toBe(0);
  });
});

describe("progress reports through the gateway", () => {
  it("answers repeated heartbeats alike, and a position beyond the running time with BAD_USER_INPUT", async () => {
    const viewer = await signUp("Oli");
    await subscribeTo(viewer, "Basic");
    const title = await film(counting.db, "G", 20);
    const session = (await start(viewer, { profileId: viewer.profileId, contentId: title.id })).data.startPlayback.id;
    const first = await report(viewer, session, 90, "HEARTBEAT");
    const second = await report(viewer, session, 90, "HEARTBEAT");
    expect(second).toEqual(first);
    expect(await counting.db.watchHistory.count({ where: { profileId: viewer.profileId } })).toBe(1);

    const beyond = await report(viewer, session, title.durationSeconds + 60);
    expect(codeOf(beyond)).toBe("BAD_USER_INPUT");
    const stranger = await signUp("Pia");
    expect(codeOf(await report(stranger, session, 100))).toBe("NOT_FOUND");
  });
});

describe("batching", () => {
  it("answers averageRating for a browse page of 20 titles with one ratings query", async () => {
    const viewer = await signUp("Quin");
    counting.reset();
    const page = await supergraph.gql(catalog("Browse"), { first: 20 }, { token: viewer.token });
    expect(page.errors).toBeUndefined();
    expect(page.data.browse.edges).toHaveLength(20);
    expect(sentStatements(counting).filter((sql) => /"ratings"|\bratings\b/.test(sql))).toHaveLength(1);
  });

  it("answers the TV home screen's streaming fields with a fixed number of statements", async () => {
    const alice = { token: await signIn("alice@watchflixx.dev") };
    const user = await counting.db.user.findUniqueOrThrow({ where: { email: "alice@watchflixx.dev" }, select: { profiles: true } });
    const profileId = user.profiles.find((profile) => profile.name === "Alice")?.id;
    counting.reset();
    const home = await supergraph.gql(TV_HOME, { profileId }, { token: alice.token });
    expect(home.errors).toBeUndefined();
    expect(home.data.profile.watchlist.length).toBeGreaterThan(0);
    expect(home.data.continueWatching.length).toBeGreaterThan(0);
    expect(sentStatements(counting).filter((sql) => /watchlist/.test(sql))).toHaveLength(1);
    expect(sentStatements(counting).filter((sql) => /watch_history/.test(sql))).toHaveLength(1);
  });
});
