// A client's life through the whole supergraph, with every query and mutation of the contract sent as its
// typed document from @watchflixx/clients (the operation as its file spells it, with `operationName`): sign up,
// profiles, subscribe, browse and search, playback, billing, TV pairing and the TV home screen, a party,
// analytics, notifications, sign-out. Staff tools and the hidden-profile checks use the project's own
// operations (clients/operations). Each step asserts what a client checks: no errors, the shape, and the
// behaviour the contract README lists.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AddToWatchlistDocument,
  ApproveDevicePairingDocument,
  BillingHistoryDocument,
  BrowseDocument,
  CancelSubscriptionDocument,
  CompleteDevicePairingDocument,
  ContentAnalyticsDocument,
  ContentDetailsDocument,
  ContinueWatchingDocument,
  ControlPartyPlaybackDocument,
  CreateContentDocument,
  CreatePartyWatchDocument,
  CreateProfileDocument,
  DeleteProfileDocument,
  JoinPartyWatchDocument,
  LeavePartyWatchDocument,
  MarkNotificationReadDocument,
  MeDocument,
  NotificationsDocument,
  OpenSupportTicketDocument,
  PartyWatchProfilesDocument,
  PlansDocument,
  PublishContentDocument,
  RateContentDocument,
  RefreshTokenDocument,
  RemoveFromWatchlistDocument,
  RentContentDocument,
  ReportProgressDocument,
  RespondToSupportTicketDocument,
  ReviewAuthorsDocument,
  SearchDocument,
  SendPartyMessageDocument,
  SignInDocument,
  SignOutDocument,
  SignUpDocument,
  StartDevicePairingDocument,
  StartPlaybackDocument,
  SubscribeDocument,
  SupportTicketsDocument,
  TrendingDocument,
  UnlockProfileDocument,
  TvHomeDocument,
  UpdateProfileDocument,
  ViewingStatsDocument,
  WatchlistDocument,
  type BrowseQuery,
  type PlaybackEvent,
  type TypedDocumentNode,
} from "@watchflixx/clients";
import type { PrismaClient } from "@watchflixx/db";
import { contractOperations } from "./contract.ts";
import { pickTitles, ratingsOf, UP_TO_PG, type Titles } from "./fixtures.ts";
import { codeOf, DEMO_PASSWORD, EVENTUALLY, leaksOf, must, ok, PASSWORD, startWorld, uniqueEmail, unknownId, type ContractClient, type World } from "./support.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

let world: World;
let client: ContractClient;
let db: PrismaClient;
let titles: Titles;

/** What the journey builds up, step by step. */
const hana = {
  email: uniqueEmail("hana"),
  token: "",
  userId: "",
  /** Her adult profile, her kids profile (Pip), and Sam's (whose limit is lowered later). */
  profileId: "",
  kidsProfileId: "",
  samProfileId: "",
  tvToken: "",
  tvRefreshToken: "",
  partyId: "",
  inviteCode: "",
};
const alice = { token: "", profileId: "" };

beforeAll(async () => {
  world = await startWorld();
  client = world.client;
  db = world.database.db;
  titles = await pickTitles(db);
  const signedIn = ok(await client.run(SignInDocument, { input: { email: "alice@watchflixx.dev", password: DEMO_PASSWORD } }));
  alice.token = signedIn.signIn.accessToken;
  const me = must(ok(await client.run(MeDocument, {}, alice.token)).me, "alice's me");
  alice.profileId = must(me.profiles.find((profile) => !profile.isKids), "alice's adult profile").id;
});
afterAll(async () => {
  await world?.stop();
});

const run = <TData, TVariables extends Record<string, unknown>>(document: TypedDocumentNode<TData, TVariables>, variables?: NoInfer<TVariables>, token?: string) =>
  client.run(document, variables, token);
const play = (profileId: string, contentId: string) => run(StartPlaybackDocument, { input: { profileId, contentId } }, hana.token);
const report = (sessionId: string, positionSeconds: number, event?: PlaybackEvent, token = hana.token) =>
  run(ReportProgressDocument, { input: { sessionId, positionSeconds, ...(event ? { event } : {}) } }, token);
/** The signed-in account (`Me`), which must be there. */
const meOf = async (token: string) => must(ok(await run(MeDocument, {}, token)).me, "me");
/** One of the account's own profiles, as `Me` lists it. */
const ownProfile = async (token: string, id: string) => must((await meOf(token)).profiles.find((profile) => profile.id === id), `the profile ${id} on me`);
const ids = (items: { id: string }[]) => items.map((item) => item.id);
const near = (iso: string, expectedMs: number, slackMs = 5 * 60 * 1000) => Math.abs(Date.parse(iso) - expectedMs) < slackMs;

describe("an account", () => {
  it("without a token, `me` is null with UNAUTHENTICATED", async () => {
    const result = await run(MeDocument);
    expect(result.data?.me ?? null).toBeNull();
    expect(codeOf(result)).toBe("UNAUTHENTICATED");
  });

  it("signs up, signs in from a named device, and rotates its refresh token (reuse revokes the family)", async () => {
    const signedUp = ok(await run(SignUpDocument, { input: { email: hana.email, password: PASSWORD, name: "Hana Mori" } })).signUp;
    expect(signedUp).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      user: { id: expect.any(String), email: hana.email, name: "Hana Mori" },
    });
    hana.token = signedUp.accessToken;
    hana.userId = signedUp.user.id;

    const signedIn = ok(await run(SignInDocument, { input: { email: hana.email, password: PASSWORD, deviceName: "Hana's phone", deviceType: "MOBILE" } })).signIn;
    expect(signedIn.user).toEqual({ id: hana.userId, email: hana.email });
    expect(codeOf(await run(SignInDocument, { input: { email: hana.email, password: "not the password" } }))).toBe("UNAUTHENTICATED");

    const rotated = ok(await run(RefreshTokenDocument, { refreshToken: signedIn.refreshToken })).refreshToken;
    expect(rotated.accessToken).toEqual(expect.any(String));
    expect(rotated.refreshToken).not.toBe(signedIn.refreshToken);
    // The old one again: refused, and the whole family with it.
    expect(codeOf(await run(RefreshTokenDocument, { refreshToken: signedIn.refreshToken }))).toBe("UNAUTHENTICATED");
    expect(codeOf(await run(RefreshTokenDocument, { refreshToken: rotated.refreshToken }))).toBe("UNAUTHENTICATED");
  });

  it("shows itself on `me`: no profiles, its devices, no subscription", async () => {
    const me = await meOf(hana.token);
    expect(me).toMatchObject({ id: hana.userId, email: hana.email, name: "Hana Mori", subscription: null });
    expect(me.profiles).toEqual(expect.any(Array));
    for (const device of me.devices) expect(device).toEqual({ id: expect.any(String), name: expect.any(String), type: expect.any(String), lastSeenAt: expect.any(String) });
  });
});

describe("profiles", () => {
  it("creates an adult, a kids and a teen profile with the README's defaults", async () => {
    const adult = ok(await run(CreateProfileDocument, { input: { name: "Hana", avatarUrl: "https://cdn.example.test/hana.png" } }, hana.token)).createProfile;
    expect(adult).toEqual({ id: expect.any(String), name: "Hana", isKids: false, maturityRating: "NC17", version: expect.any(Number) });
    const kids = ok(await run(CreateProfileDocument, { input: { name: "Pip", isKids: true } }, hana.token)).createProfile;
    expect(kids).toMatchObject({ name: "Pip", isKids: true, maturityRating: "PG" });
    const sam = ok(await run(CreateProfileDocument, { input: { name: "Sam", maturityRating: "R", pin: "1234" } }, hana.token)).createProfile;
    expect(sam).toMatchObject({ name: "Sam", isKids: false, maturityRating: "R" });
    Object.assign(hana, { profileId: adult.id, kidsProfileId: kids.id, samProfileId: sam.id });
    // Sam's profile has a PIN: a client unlocks it on its device before playing it or changing it (the project's
    // UnlockProfile, clients/operations/parental.graphql, which the contract takes later).
    expect(ok(await run(UnlockProfileDocument, { profileId: sam.id, pin: "1234" }, hana.token)).unlockProfile).toBe(true);

    // A kids profile is limited to PG.
    expect(codeOf(await run(CreateProfileDocument, { input: { name: "Pip too", isKids: true, maturityRating: "R" } }, hana.token))).toBe("BAD_USER_INPUT");
  });

  it("updates with expectedVersion; a stale version is CONFLICT and changes nothing; null clears avatarUrl", async () => {
    const before = await ownProfile(hana.token, hana.profileId);
    expect(before).toMatchObject({ name: "Hana", avatarUrl: "https://cdn.example.test/hana.png" });
    const version = must(before.version, "the version of one's own profile");

    const updated = ok(await run(UpdateProfileDocument, { id: hana.profileId, input: { expectedVersion: version, name: "Hana M." } }, hana.token)).updateProfile;
    expect(updated).toEqual({ id: hana.profileId, name: "Hana M.", maturityRating: "NC17", version: version + 1 });

    const stale = await run(UpdateProfileDocument, { id: hana.profileId, input: { expectedVersion: version, name: "Stale" } }, hana.token);
    expect(codeOf(stale)).toBe("CONFLICT");
    const cleared = ok(await run(UpdateProfileDocument, { id: hana.profileId, input: { expectedVersion: version + 1, avatarUrl: null } }, hana.token)).updateProfile;
    expect(cleared).toMatchObject({ name: "Hana M.", version: version + 2 });

    const after = await ownProfile(hana.token, hana.profileId);
    expect(after).toMatchObject({ name: "Hana M.", avatarUrl: null, version: version + 2 });

    expect(codeOf(await run(UpdateProfileDocument, { id: hana.profileId, input: { expectedVersion: version + 2, pin: "12a4" } }, hana.token))).toBe("BAD_USER_INPUT");
  });

  it("answers another account's profile as not found: null plus NOT_FOUND, never its data", async () => {
    const theirs = await run(WatchlistDocument, { profileId: alice.profileId }, hana.token);
    expect(theirs.data?.profile ?? null).toBeNull();
    expect(codeOf(theirs)).toBe("NOT_FOUND");
    expect(codeOf(await run(UpdateProfileDocument, { id: alice.profileId, input: { expectedVersion: 1, name: "Mine now" } }, hana.token))).toBe("NOT_FOUND");
    const unknown = await run(WatchlistDocument, { profileId: "not-an-id" }, hana.token);
    expect(unknown.data?.profile ?? null).toBeNull();
    expect(codeOf(unknown)).toBe("NOT_FOUND");
  });
});

describe("subscribing", () => {
  it("cannot play before paying: PAYMENT_REQUIRED", async () => {
    expect(codeOf(await play(hana.profileId, titles.film.id))).toBe("PAYMENT_REQUIRED");
  });

  it("lists the plans and subscribes with the local provider (no clientSecret)", async () => {
    const plans = ok(await run(PlansDocument)).plans;
    expect(plans.length).toBeGreaterThanOrEqual(3);
    for (const plan of plans) {
      expect(plan).toEqual({ id: expect.any(String), name: expect.any(String), priceCents: expect.any(Number), currency: "USD", interval: "MONTH", maxStreams: expect.any(Number), maxQuality: expect.stringMatching(/^(SD|HD|UHD)$/) });
    }
    const standard = must(plans.find((plan) => plan.name === "Standard"), "the Standard plan");
    expect(standard).toMatchObject({ priceCents: 1299, maxStreams: 2, maxQuality: "HD" });

    const subscribed = ok(await run(SubscribeDocument, { input: { planId: standard.id } }, hana.token)).subscribe;
    expect(subscribed).toMatchObject({ status: expect.stringMatching(/^(ACTIVE|TRIALING)$/), plan: { id: standard.id, name: "Standard" }, clientSecret: null });
    expect(Date.parse(subscribed.currentPeriodEnd)).toBeGreaterThan(Date.now());
    expect(codeOf(await run(SubscribeDocument, { input: { planId: standard.id } }, hana.token))).toBe("CONFLICT");

    const me = await meOf(hana.token);
    expect(me.subscription).toMatchObject({ id: subscribed.id, status: subscribed.status, plan: { id: standard.id, name: "Standard", maxStreams: 2, priceCents: 1299, currency: "USD" } });
  });
});

describe("browsing, searching and details", () => {
  it("pages through browse with stable cursors", async () => {
    const first = ok(await run(BrowseDocument, { first: 5 }, hana.token)).browse;
    expect(first.edges).toHaveLength(5);
    expect(first.pageInfo).toEqual({ hasNextPage: true, endCursor: expect.any(String) });
    expect(first.totalCount).toBeGreaterThan(5);
    for (const edge of first.edges) {
      expect(edge).toEqual({
        cursor: expect.any(String),
        node: expect.objectContaining({ id: expect.any(String), title: expect.any(String), type: expect.any(String), genres: expect.any(Array), releaseYear: expect.any(Number), maturityRating: expect.any(String) }),
      });
    }
    const second = ok(await run(BrowseDocument, { first: 5, after: first.pageInfo.endCursor }, hana.token)).browse;
    const firstIds = first.edges.map((edge) => edge.node.id);
    const secondIds = second.edges.map((edge) => edge.node.id);
    expect(secondIds).toHaveLength(5);
    expect(secondIds.filter((id) => firstIds.includes(id))).toEqual([]);

    // Stable under concurrent inserts: staff publish a title between two pages; the next page is the same.
    const staff = ok(await run(SignInDocument, { input: { email: "staff@watchflixx.dev", password: DEMO_PASSWORD } })).signIn.accessToken;
    const created = ok(
      await run(
        CreateContentDocument,
        { input: { title: "Contract Test Premiere", type: "MOVIE", releaseYear: 2026, maturityRating: "G", durationMinutes: 90, genres: ["Drama"] } },
        staff,
      ),
    ).createContent;
    ok(await run(PublishContentDocument, { id: created.id }, staff));
    const secondAgain = ok(await run(BrowseDocument, { first: 5, after: first.pageInfo.endCursor }, hana.token)).browse;
    expect(secondAgain.edges.map((edge) => edge.node.id)).toEqual(secondIds);
    expect(secondAgain.totalCount).toBe(first.totalCount + 1);

    const films = ok(await run(BrowseDocument, { filter: { type: "MOVIE" }, first: 20 })).browse;
    expect(films.edges.every((edge) => edge.node.type === "MOVIE")).toBe(true);
  });

  it("refuses more than 100 items (first: 101) with BAD_USER_INPUT on every list", async () => {
    expect(codeOf(await run(BrowseDocument, { first: 101 }, hana.token))).toBe("BAD_USER_INPUT");
    expect(codeOf(await run(SearchDocument, { query: "love", first: 101 }, hana.token))).toBe("BAD_USER_INPUT");
    expect(codeOf(await run(TrendingDocument, { first: 101 }, hana.token))).toBe("BAD_USER_INPUT");
    expect(codeOf(await run(ContinueWatchingDocument, { profileId: hana.profileId, first: 101 }, hana.token))).toBe("BAD_USER_INPUT");
    expect(codeOf(await run(NotificationsDocument, { first: 101 }, hana.token))).toBe("BAD_USER_INPUT");
    expect(codeOf(await run(BrowseDocument, { first: -1 }, hana.token))).toBe("BAD_USER_INPUT");
    // 100 is allowed; 20 is the default.
    expect(ok(await run(BrowseDocument, { first: 100 }, hana.token)).browse.edges).toHaveLength(100);
    expect(ok(await run(BrowseDocument, {}, hana.token)).browse.edges).toHaveLength(20);
    expect(ok(await run(TrendingDocument, {}, hana.token)).trending.length).toBeLessThanOrEqual(20);
    expect(ok(await run(SearchDocument, { query: "the" }, hana.token)).search.length).toBeLessThanOrEqual(20);
  });

  it("never shows a kids profile anything above PG in browse, every page of it", async () => {
    const seen: BrowseQuery["browse"]["edges"][number]["node"][] = [];
    let after: string | null = null;
    let totalCount = 0;
    for (let page = 0; page < 20; page += 1) {
      // (Typed here: `after` comes from the previous page.)
      const result: BrowseQuery["browse"] = ok(
        await run(BrowseDocument, { filter: { profileId: hana.kidsProfileId }, first: 100, after }, hana.token),
      ).browse;
      seen.push(...result.edges.map((edge) => edge.node));
      totalCount = result.totalCount;
      if (!result.pageInfo.hasNextPage) break;
      after = result.pageInfo.endCursor;
    }
    expect(seen.length).toBe(totalCount);
    expect(new Set(ids(seen)).size).toBe(seen.length);
    expect(seen.filter((node) => !UP_TO_PG.includes(node.maturityRating))).toEqual([]);
    const everything = ok(await run(BrowseDocument, { first: 1 }, hana.token)).browse.totalCount;
    expect(totalCount).toBeLessThan(everything);

    // Someone else's profile is not a filter one may use.
    expect(codeOf(await run(BrowseDocument, { filter: { profileId: alice.profileId }, first: 5 }, hana.token))).toBe("NOT_FOUND");
  });

  it("searches within the profile's limit", async () => {
    const adult = ok(await run(SearchDocument, { query: titles.adultFilm.title, first: 20, profileId: hana.profileId }, hana.token)).search;
    expect(ids(adult)).toContain(titles.adultFilm.id);
    expect(adult[0]).toEqual({ id: expect.any(String), title: expect.any(String), type: expect.any(String), releaseYear: expect.any(Number) });

    const kids = ok(await run(SearchDocument, { query: titles.adultFilm.title, first: 100, profileId: hana.kidsProfileId }, hana.token)).search;
    expect(ids(kids)).not.toContain(titles.adultFilm.id);
    const ratings = await ratingsOf(db, ids(kids));
    expect(ids(kids).filter((id) => !UP_TO_PG.includes(ratings.get(id) ?? "NC17"))).toEqual([]);

    expect(codeOf(await run(SearchDocument, { query: "the", profileId: alice.profileId }, hana.token))).toBe("NOT_FOUND");
  });

  it("details a film: no seasons, a duration, no rating yet, no progress without a profile", async () => {
    const film = must(ok(await run(ContentDetailsDocument, { id: titles.film.id }, hana.token)).content, "the film");
    expect(film).toMatchObject({
      id: titles.film.id,
      title: titles.film.title,
      type: "MOVIE",
      maturityRating: "PG13",
      durationMinutes: titles.film.durationMinutes,
      seasons: [],
      averageRating: null,
      ratingCount: 0,
      reviews: [],
      rentalPrice: null,
      progress: null,
    });
    expect(film.durationMinutes).toEqual(expect.any(Number));
    expect(film.cast).toEqual(expect.any(Array));
    expect(film.crew).toEqual(expect.any(Array));
    for (const track of film.subtitles) expect(track).toEqual({ language: expect.any(String), format: expect.stringMatching(/^(VTT|SRT)$/) });

    const rentable = must(ok(await run(ContentDetailsDocument, { id: titles.rentable.id }, hana.token)).content, "the rentable film");
    expect(rentable.rentalPrice).toEqual({ amountCents: titles.rentable.rentalPriceCents, currency: "USD" });
  });

  it("details a series: seasons with episodes, no duration", async () => {
    const series = must(ok(await run(ContentDetailsDocument, { id: titles.series.id, profileId: hana.profileId }, hana.token)).content, "the series");
    expect(series).toMatchObject({ id: titles.series.id, type: "SERIES", durationMinutes: null, progress: null });
    expect(series.seasons.length).toBeGreaterThan(0);
    const season = must(series.seasons[0], "the first season");
    expect(season).toEqual({ id: expect.any(String), number: expect.any(Number), title: season.title, episodes: expect.any(Array) });
    expect(season.episodes[0]).toEqual({ id: expect.any(String), number: expect.any(Number), title: expect.any(String), durationMinutes: expect.any(Number) });
  });

  it("answers an unknown title as null plus NOT_FOUND", async () => {
    for (const id of [unknownId(), "not-an-id"]) {
      const result = await run(ContentDetailsDocument, { id }, hana.token);
      expect(result.data?.content ?? null).toBeNull();
      expect(codeOf(result)).toBe("NOT_FOUND");
    }
  });

  it("ranks trending 1..n, and within a kids profile's limit", async () => {
    const everyone = ok(await run(TrendingDocument, { first: 20 })).trending;
    expect(everyone.length).toBeGreaterThan(0);
    expect(everyone.map((item) => item.rank)).toEqual(everyone.map((_item, index) => index + 1));
    const top = must(everyone[0], "the first trending title");
    expect(top).toEqual({ rank: 1, views: expect.any(Number), content: { id: expect.any(String), title: expect.any(String), posterUrl: top.content.posterUrl } });

    const kids = ok(await run(TrendingDocument, { first: 100, profileId: hana.kidsProfileId }, hana.token)).trending;
    // Filtered before ranking: the kids' ranks have no gaps.
    expect(kids.map((item) => item.rank)).toEqual(kids.map((_item, index) => index + 1));
    const ratings = await ratingsOf(db, kids.map((item) => item.content.id));
    expect([...ratings.values()].filter((rating) => !UP_TO_PG.includes(rating))).toEqual([]);
    expect(codeOf(await run(TrendingDocument, { first: 5, profileId: alice.profileId }, hana.token))).toBe("NOT_FOUND");
  });
});

describe("playback", () => {
  let filmSession = "";

  it("plays a film, reports progress, and resumes where it stopped", async () => {
    const started = ok(await play(hana.profileId, titles.film.id)).startPlayback;
    expect(started).toEqual({ id: expect.any(String), manifestUrl: expect.stringMatching(/^https?:\/\//), resumePositionSeconds: 0, content: { id: titles.film.id, title: titles.film.title }, episode: null });
    filmSession = started.id;
    const duration = (titles.film.durationMinutes ?? 0) * 60;
    const position = Math.round(duration * 0.4);
    const progress = ok(await report(filmSession, position, "HEARTBEAT")).reportProgress;
    expect(progress).toMatchObject({ positionSeconds: position, completed: false });
    expect(progress.progressPercent).toBeCloseTo(40, 0);
  });

  it("holds the account to its plan's streams (Standard: 2), and to the profile's maturity limit", async () => {
    const kidsSession = ok(await play(hana.kidsProfileId, titles.familyFilm.id)).startPlayback;
    const third = await play(hana.samProfileId, titles.adultFilm.id);
    expect(codeOf(third)).toBe("FORBIDDEN");
    expect(third.errors?.[0]?.extensions?.reason).toBe("STREAM_LIMIT");
    ok(await report(kidsSession.id, 120, "STOP"));
    ok(await report(filmSession, Math.round((titles.film.durationMinutes ?? 0) * 60 * 0.4), "STOP"));

    const tooOld = await play(hana.kidsProfileId, titles.adultFilm.id);
    expect(codeOf(tooOld)).toBe("FORBIDDEN");
    expect(tooOld.data?.startPlayback ?? null).toBeNull();
    expect(codeOf(await play(alice.profileId, titles.film.id))).toBe("NOT_FOUND");
  });

  it("continues watching, with progress on the title's details", async () => {
    const continuing = ok(await run(ContinueWatchingDocument, { profileId: hana.profileId }, hana.token)).continueWatching;
    expect(continuing).toEqual([
      { positionSeconds: expect.any(Number), progressPercent: expect.any(Number), updatedAt: expect.any(String), content: { id: titles.film.id, title: titles.film.title, posterUrl: continuing[0]?.content.posterUrl, type: "MOVIE" }, episode: null },
    ]);
    const film = must(continuing[0], "the film to continue");
    expect(film.progressPercent).toBeCloseTo(40, 0);
    const details = must(ok(await run(ContentDetailsDocument, { id: titles.film.id, profileId: hana.profileId }, hana.token)).content, "the title's details");
    expect(details.progress).toEqual({ positionSeconds: film.positionSeconds, progressPercent: film.progressPercent, episode: null });
    const resumed = ok(await play(hana.profileId, titles.film.id)).startPlayback;
    expect(resumed.resumePositionSeconds).toBe(film.positionSeconds);
    ok(await report(resumed.id, film.positionSeconds, "STOP"));
    expect(codeOf(await run(ContinueWatchingDocument, { profileId: alice.profileId }, hana.token))).toBe("NOT_FOUND");
  });

  it("plays a series from S1E1 and continues with the episode and its season", async () => {
    const started = ok(await play(hana.profileId, titles.series.id)).startPlayback;
    expect(started.episode).toEqual({ id: expect.any(String), number: 1, title: expect.any(String) });
    const episode = must(started.episode, "the first episode");
    ok(await report(started.id, 300, "HEARTBEAT"));
    ok(await report(started.id, 300, "STOP"));
    const continuing = ok(await run(ContinueWatchingDocument, { profileId: hana.profileId, first: 10 }, hana.token)).continueWatching;
    expect(continuing.map((item) => item.content.id)).toEqual([titles.series.id, titles.film.id]);
    expect(continuing[0]?.episode).toEqual({ id: episode.id, number: 1, title: episode.title, season: { number: 1 } });
    const details = must(ok(await run(ContentDetailsDocument, { id: titles.series.id, profileId: hana.profileId }, hana.token)).content, "the title's details");
    expect(details.progress).toMatchObject({ positionSeconds: 300, episode: { id: episode.id, number: 1 } });
  });

  it("never continues a title above a profile's limit, even one it watched before the limit was lowered", async () => {
    const watched = ok(await play(hana.samProfileId, titles.adultFilm.id)).startPlayback;
    ok(await report(watched.id, 600, "STOP"));
    const before = ok(await run(ContinueWatchingDocument, { profileId: hana.samProfileId }, hana.token)).continueWatching;
    expect(before.map((item) => item.content.id)).toEqual([titles.adultFilm.id]);

    const sam = await ownProfile(hana.token, hana.samProfileId);
    ok(await run(UpdateProfileDocument, { id: hana.samProfileId, input: { expectedVersion: must(sam.version, "Sam's version"), maturityRating: "PG" } }, hana.token));
    expect(ok(await run(ContinueWatchingDocument, { profileId: hana.samProfileId }, hana.token)).continueWatching).toEqual([]);
    expect(codeOf(await play(hana.samProfileId, titles.adultFilm.id))).toBe("FORBIDDEN");

    const kids = ok(await run(ContinueWatchingDocument, { profileId: hana.kidsProfileId }, hana.token)).continueWatching;
    const ratings = await ratingsOf(db, kids.map((item) => item.content.id));
    expect(kids.map((item) => item.content.id)).toEqual([titles.familyFilm.id]);
    expect([...ratings.values()].filter((rating) => !UP_TO_PG.includes(rating))).toEqual([]);
  });

  it("keeps a watchlist: add is idempotent, remove answers true then false", async () => {
    const added = ok(await run(AddToWatchlistDocument, { profileId: hana.profileId, contentId: titles.series.id }, hana.token)).addToWatchlist;
    expect(added).toEqual({ addedAt: expect.any(String), content: { id: titles.series.id } });
    const again = ok(await run(AddToWatchlistDocument, { profileId: hana.profileId, contentId: titles.series.id }, hana.token)).addToWatchlist;
    expect(again).toEqual(added);
    ok(await run(AddToWatchlistDocument, { profileId: hana.profileId, contentId: titles.rentable.id }, hana.token));

    const list = must(ok(await run(WatchlistDocument, { profileId: hana.profileId }, hana.token)).profile, "Hana's profile");
    expect(list).toMatchObject({ id: hana.profileId, name: "Hana M." });
    const watchlist = must(list.watchlist, "Hana's watchlist");
    expect(watchlist.map((item) => item.content.id).sort()).toEqual([titles.series.id, titles.rentable.id].sort());
    const item = must(watchlist[0], "a watchlist item");
    expect(item).toEqual({ addedAt: expect.any(String), content: { id: expect.any(String), title: expect.any(String), posterUrl: item.content.posterUrl } });

    expect(ok(await run(RemoveFromWatchlistDocument, { profileId: hana.profileId, contentId: titles.rentable.id }, hana.token)).removeFromWatchlist).toBe(true);
    expect(ok(await run(RemoveFromWatchlistDocument, { profileId: hana.profileId, contentId: titles.rentable.id }, hana.token)).removeFromWatchlist).toBe(false);
    const after = must(ok(await run(WatchlistDocument, { profileId: hana.profileId }, hana.token)).profile, "Hana's profile");
    expect(must(after.watchlist, "Hana's watchlist").map((entry) => entry.content.id)).toEqual([titles.series.id]);
    expect(codeOf(await run(AddToWatchlistDocument, { profileId: alice.profileId, contentId: titles.series.id }, hana.token))).toBe("NOT_FOUND");
  });

  it("rates a title: one rating per profile, rating again replaces it", async () => {
    const first = ok(await run(RateContentDocument, { input: { profileId: hana.profileId, contentId: titles.film.id, rating: 4, body: "Tense and beautifully shot." } }, hana.token)).rateContent;
    expect(first).toEqual({ id: expect.any(String), rating: 4, body: "Tense and beautifully shot.", content: { id: titles.film.id, averageRating: 4, ratingCount: 1 } });
    const replaced = ok(await run(RateContentDocument, { input: { profileId: hana.profileId, contentId: titles.film.id, rating: 2, body: "Less good the second time." } }, hana.token)).rateContent;
    expect(replaced).toMatchObject({ rating: 2, body: "Less good the second time.", content: { id: titles.film.id, averageRating: 2, ratingCount: 1 } });

    const other = ok(await run(RateContentDocument, { input: { profileId: alice.profileId, contentId: titles.film.id, rating: 5, body: "A classic." } }, alice.token)).rateContent;
    expect(other.content).toEqual({ id: titles.film.id, averageRating: 3.5, ratingCount: 2 });

    const details = must(ok(await run(ContentDetailsDocument, { id: titles.film.id }, hana.token)).content, "the title's details");
    expect(details).toMatchObject({ averageRating: 3.5, ratingCount: 2 });
    expect(details.reviews).toHaveLength(2);
    expect(details.reviews).toEqual(
      expect.arrayContaining([
        { id: expect.any(String), rating: 2, body: "Less good the second time.", createdAt: expect.any(String), profile: { name: "Hana M." } },
        { id: expect.any(String), rating: 5, body: "A classic.", createdAt: expect.any(String), profile: { name: "Alice" } },
      ]),
    );

    // A review's author from another account shows only id, name and avatarUrl.
    const authors = await run(ReviewAuthorsDocument, { id: titles.film.id }, hana.token);
    const profiles = (authors.data?.content?.reviews ?? []).map((review) => review.profile);
    expect(profiles).toContainEqual({ id: alice.profileId, name: "Alice", avatarUrl: expect.any(String), isKids: null, maturityRating: null, hasPin: null, version: null });
    expect(profiles).toContainEqual({ id: hana.profileId, name: "Hana M.", avatarUrl: null, isKids: false, maturityRating: "NC17", hasPin: false, version: expect.any(Number) });

    expect(codeOf(await run(RateContentDocument, { input: { profileId: hana.profileId, contentId: titles.film.id, rating: 6 } }, hana.token))).toBe("BAD_USER_INPUT");
    expect(codeOf(await run(RateContentDocument, { input: { profileId: alice.profileId, contentId: titles.film.id, rating: 1 } }, hana.token))).toBe("NOT_FOUND");
  });
});

describe("billing", () => {
  it("rents a title: PENDING with a 30-day window, no clientSecret with the local provider", async () => {
    const rented = ok(await run(RentContentDocument, { contentId: titles.rentableToo.id }, hana.token)).rentContent;
    expect(rented).toEqual({ id: expect.any(String), status: "PENDING", expiresAt: expect.any(String), content: { id: titles.rentableToo.id, title: titles.rentableToo.title }, clientSecret: null });
    expect(near(rented.expiresAt, Date.now() + 30 * DAY_MS)).toBe(true);
    expect(codeOf(await run(RentContentDocument, { contentId: titles.film.id }, hana.token))).toBe("BAD_USER_INPUT");
    expect(codeOf(await run(RentContentDocument, { contentId: unknownId() }, hana.token))).toBe("NOT_FOUND");
  });

  it("lets someone without a plan play what they rented, and the window becomes 48 hours from the first play", async () => {
    const signedUp = ok(await run(SignUpDocument, { input: { email: uniqueEmail("ravi"), password: PASSWORD, name: "Ravi" } })).signUp;
    const token = signedUp.accessToken;
    const profile = ok(await run(CreateProfileDocument, { input: { name: "Ravi" } }, token)).createProfile;
    ok(await run(RentContentDocument, { contentId: titles.rentable.id }, token));
    const started = ok(await client.run(StartPlaybackDocument, { input: { profileId: profile.id, contentId: titles.rentable.id } }, token)).startPlayback;
    ok(await report(started.id, 60, "HEARTBEAT", token));
    expect(codeOf(await report(started.id, -5, "HEARTBEAT", token))).toBe("BAD_USER_INPUT");
    // Past the end (players overshoot): refused or clamped, never more than 100 % (checked on every response).
    const overshoot = await report(started.id, (titles.rentable.durationMinutes ?? 0) * 60 + 3600, "STOP", token);
    if (overshoot.errors) expect(codeOf(overshoot)).toBe("BAD_USER_INPUT");
    else expect(overshoot.data?.reportProgress).toMatchObject({ progressPercent: 100, completed: true });
    expect(codeOf(await client.run(StartPlaybackDocument, { input: { profileId: profile.id, contentId: titles.film.id } }, token))).toBe("PAYMENT_REQUIRED");

    const history = must(ok(await run(BillingHistoryDocument, {}, token)).me, "Ravi's me");
    expect(history.rentals).toEqual([{ id: expect.any(String), expiresAt: expect.any(String), content: { id: titles.rentable.id, title: titles.rentable.title } }]);
    // Payment starts the 48 hours from streaming's PlaybackStarted, through its consumer: moments after the play.
    const rentalEndsIn48Hours = async () =>
      near(must(must(ok(await run(BillingHistoryDocument, {}, token)).me, "Ravi's me").rentals[0], "the rental").expiresAt, Date.now() + 48 * HOUR_MS);
    await expect.poll(rentalEndsIn48Hours, { timeout: 15_000 }).toBe(true);
    expect(history.invoices).toEqual([{ id: expect.any(String), amountCents: titles.rentable.rentalPriceCents, currency: "USD", status: "PAID", issuedAt: expect.any(String) }]);
  });

  it("shows the billing history: the subscription's invoice and the rental's", async () => {
    const history = must(ok(await run(BillingHistoryDocument, {}, hana.token)).me, "Hana's me");
    expect(history.id).toBe(hana.userId);
    expect(history.invoices.map((invoice) => invoice.amountCents).sort()).toEqual([1299, titles.rentableToo.rentalPriceCents].sort());
    for (const invoice of history.invoices) expect(invoice).toMatchObject({ currency: "USD", status: expect.stringMatching(/^(DRAFT|OPEN|PAID|VOID|UNCOLLECTIBLE)$/) });
    expect(history.rentals).toEqual([{ id: expect.any(String), expiresAt: expect.any(String), content: { id: titles.rentableToo.id, title: titles.rentableToo.title } }]);
    expect(codeOf(await run(BillingHistoryDocument))).toBe("UNAUTHENTICATED");
  });
});

describe("TV pairing and the TV home screen", () => {
  it("pairs a TV: complete before approval is FORBIDDEN, a used code NOT_FOUND", async () => {
    const pairing = ok(await run(StartDevicePairingDocument, { deviceName: "Living Room TV" })).startDevicePairing;
    expect(pairing).toEqual({ pairingCode: expect.any(String), expiresAt: expect.any(String) });
    expect(near(pairing.expiresAt, Date.now() + 10 * 60 * 1000, 60_000)).toBe(true);

    expect(codeOf(await run(CompleteDevicePairingDocument, { pairingCode: pairing.pairingCode }))).toBe("FORBIDDEN");
    expect(codeOf(await run(ApproveDevicePairingDocument, { pairingCode: pairing.pairingCode }))).toBe("UNAUTHENTICATED");
    const device = ok(await run(ApproveDevicePairingDocument, { pairingCode: pairing.pairingCode }, hana.token)).approveDevicePairing;
    expect(device).toEqual({ id: expect.any(String), name: "Living Room TV", type: "TV" });

    const completed = ok(await run(CompleteDevicePairingDocument, { pairingCode: pairing.pairingCode })).completeDevicePairing;
    expect(completed).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), user: { id: hana.userId } });
    hana.tvToken = completed.accessToken;
    hana.tvRefreshToken = completed.refreshToken;
    expect(codeOf(await run(CompleteDevicePairingDocument, { pairingCode: pairing.pairingCode }))).toBe("NOT_FOUND");
    expect(codeOf(await run(CompleteDevicePairingDocument, { pairingCode: "ZZZZZZZZ" }))).toBe("NOT_FOUND");

    const me = await meOf(hana.tvToken);
    expect(me.devices).toContainEqual({ id: device.id, name: "Living Room TV", type: "TV", lastSeenAt: expect.any(String) });
  });

  it("serves the TV home screen in one round trip", async () => {
    const home = ok(await run(TvHomeDocument, { profileId: hana.profileId }, hana.tvToken));
    expect(home.profile).toMatchObject({ id: hana.profileId, name: "Hana M.", isKids: false });
    const profile = must(home.profile, "the TV home screen's profile");
    expect(profile.watchlist).toEqual([{ content: { id: titles.series.id, title: titles.series.title, posterUrl: profile.watchlist?.[0]?.content.posterUrl } }]);
    expect(home.continueWatching.map((item) => item.content.id)).toEqual([titles.series.id, titles.film.id]);
    expect(home.continueWatching[0]?.episode).toEqual({ id: expect.any(String), number: 1, season: { number: 1 } });
    expect(home.trending.map((item) => item.rank)).toEqual(home.trending.map((_item, index) => index + 1));
    for (const item of home.trending) {
      expect(item.content).toEqual(expect.objectContaining({ id: expect.any(String), title: expect.any(String) }));
      expect(item.content).toHaveProperty("averageRating");
      expect(item.content).toHaveProperty("rentalPrice");
    }
    expect(home.browse.edges).toHaveLength(20);
  });

  it("keeps the kids home screen within PG", async () => {
    const home = ok(await run(TvHomeDocument, { profileId: hana.kidsProfileId }, hana.tvToken));
    expect(home.profile).toMatchObject({ id: hana.kidsProfileId, isKids: true });
    const shown = [
      ...home.continueWatching.map((item) => item.content.id),
      ...home.trending.map((item) => item.content.id),
      ...home.browse.edges.map((edge) => edge.node.id),
    ];
    const ratings = await ratingsOf(db, shown);
    expect([...ratings.entries()].filter(([, rating]) => !UP_TO_PG.includes(rating))).toEqual([]);
    expect(home.browse.edges.every((edge) => UP_TO_PG.includes(edge.node.maturityRating))).toBe(true);

    const theirs = await run(TvHomeDocument, { profileId: alice.profileId }, hana.tvToken);
    expect(theirs.data?.profile ?? null).toBeNull();
    expect(codeOf(theirs)).toBe("NOT_FOUND");
  });
});

describe("a party", () => {
  it("is created by the host and joined with the invite code by another account", async () => {
    const created = ok(await run(CreatePartyWatchDocument, { input: { profileId: hana.profileId, contentId: titles.familyFilm.id } }, hana.token)).createPartyWatch;
    expect(created).toEqual({
      id: expect.any(String),
      inviteCode: expect.any(String),
      state: expect.stringMatching(/^(PLAYING|PAUSED)$/),
      positionSeconds: 0,
      host: { id: hana.profileId, name: "Hana M." },
      content: { id: titles.familyFilm.id, title: titles.familyFilm.title },
      members: [{ profile: { id: hana.profileId, name: "Hana M." }, role: "HOST" }],
    });
    hana.partyId = created.id;
    hana.inviteCode = created.inviteCode;

    const joined = ok(await run(JoinPartyWatchDocument, { inviteCode: hana.inviteCode, profileId: alice.profileId }, alice.token)).joinPartyWatch;
    expect(joined).toMatchObject({ id: hana.partyId, state: created.state, positionSeconds: 0 });
    expect(joined.members).toEqual(
      expect.arrayContaining([
        { profile: { id: hana.profileId, name: "Hana M." }, role: "HOST" },
        { profile: { id: alice.profileId, name: "Alice" }, role: "MEMBER" },
      ]),
    );
    expect(joined.members).toHaveLength(2);
  });

  it("shows a member only the id, name and avatarUrl of another account's profile (host, members)", async () => {
    const result = await run(PartyWatchProfilesDocument, { id: hana.partyId }, alice.token);
    const hidden = { isKids: null, maturityRating: null, hasPin: null, version: null };
    expect(result.data?.partyWatch?.host).toEqual({ id: hana.profileId, name: "Hana M.", avatarUrl: null, ...hidden });
    expect(result.data?.partyWatch?.members).toEqual(
      expect.arrayContaining([
        { profile: { id: hana.profileId, name: "Hana M.", ...hidden } },
        { profile: { id: alice.profileId, name: "Alice", isKids: false, maturityRating: "NC17", hasPin: false, version: expect.any(Number) } },
      ]),
    );
  });

  it("chats (1 to 500 characters), and only the host controls playback", async () => {
    const sent = ok(await run(SendPartyMessageDocument, { sessionId: hana.partyId, text: "Popcorn ready?" }, alice.token)).sendPartyMessage;
    expect(sent).toEqual({ id: expect.any(String), text: "Popcorn ready?", createdAt: expect.any(String), sender: { id: alice.profileId, name: "Alice" } });
    expect(codeOf(await run(SendPartyMessageDocument, { sessionId: hana.partyId, text: "" }, alice.token))).toBe("BAD_USER_INPUT");
    expect(codeOf(await run(SendPartyMessageDocument, { sessionId: hana.partyId, text: "x".repeat(501) }, alice.token))).toBe("BAD_USER_INPUT");
    ok(await run(SendPartyMessageDocument, { sessionId: hana.partyId, text: "x".repeat(500) }, alice.token));

    expect(codeOf(await run(ControlPartyPlaybackDocument, { input: { sessionId: hana.partyId, action: "PLAY", positionSeconds: 0 } }, alice.token))).toBe("FORBIDDEN");
    const control = ok(await run(ControlPartyPlaybackDocument, { input: { sessionId: hana.partyId, action: "PLAY", positionSeconds: 42 } }, hana.token)).controlPartyPlayback;
    expect(control).toEqual({ sessionId: hana.partyId, action: "PLAY", positionSeconds: 42, issuedAt: expect.any(String) });
  });

  it("is left with true, then false (idempotent); a non-member cannot chat", async () => {
    expect(ok(await run(LeavePartyWatchDocument, { sessionId: hana.partyId }, alice.token)).leavePartyWatch).toBe(true);
    expect(ok(await run(LeavePartyWatchDocument, { sessionId: hana.partyId }, alice.token)).leavePartyWatch).toBe(false);
    expect(codeOf(await run(SendPartyMessageDocument, { sessionId: hana.partyId, text: "still here?" }, alice.token))).toBe("FORBIDDEN");
  });
});

describe("analytics", () => {
  it("gives a profile its viewing stats once the playback events are in", async () => {
    await expect
      .poll(async () => (await run(ViewingStatsDocument, { profileId: hana.profileId }, hana.token)).data?.viewingStats, EVENTUALLY)
      .toMatchObject({ titlesStarted: 2 });
    const stats = ok(await run(ViewingStatsDocument, { profileId: hana.profileId }, hana.token)).viewingStats;
    expect(stats).toEqual({ totalWatchSeconds: expect.any(Number), titlesStarted: 2, titlesCompleted: 0, topGenres: expect.any(Array) });
    expect(stats.totalWatchSeconds).toBeGreaterThan(0);
    expect(codeOf(await run(ViewingStatsDocument, { profileId: alice.profileId }, hana.token))).toBe("NOT_FOUND");
  });

  it("gives staff a title's analytics, and refuses everyone else with FORBIDDEN", async () => {
    const refused = await run(ContentAnalyticsDocument, { contentId: titles.film.id }, hana.token);
    expect(refused.data?.contentAnalytics ?? null).toBeNull();
    expect(codeOf(refused)).toBe("FORBIDDEN");
    expect(codeOf(await run(ContentAnalyticsDocument, { contentId: titles.film.id }))).toMatch(/^(UNAUTHENTICATED|FORBIDDEN)$/);

    const staff = ok(await run(SignInDocument, { input: { email: "staff@watchflixx.dev", password: DEMO_PASSWORD } })).signIn.accessToken;
    await expect
      .poll(async () => (await run(ContentAnalyticsDocument, { contentId: titles.film.id }, staff)).data?.contentAnalytics?.views, EVENTUALLY)
      .toBeGreaterThanOrEqual(1);
    const analytics = ok(await run(ContentAnalyticsDocument, { contentId: titles.film.id }, staff)).contentAnalytics;
    expect(analytics).toEqual({
      views: expect.any(Number),
      uniqueViewers: 1,
      completionRate: expect.any(Number),
      averageWatchSeconds: expect.any(Number),
      content: { id: titles.film.id, title: titles.film.title },
    });
    const unknown = await run(ContentAnalyticsDocument, { contentId: unknownId() }, staff);
    expect(unknown.data?.contentAnalytics ?? null).toBeNull();
    expect(codeOf(unknown)).toBe("NOT_FOUND");
  });
});

describe("support and notifications", () => {
  let ticketId = "";

  it("opens a ticket whose opening message is its first response (fromStaff false)", async () => {
    const opened = ok(await run(OpenSupportTicketDocument, { input: { subject: "My TV lost its pairing", message: "It asks for a code again every day." } }, hana.token)).openSupportTicket;
    expect(opened).toEqual({ id: expect.any(String), subject: "My TV lost its pairing", status: "OPEN", createdAt: expect.any(String) });
    ticketId = opened.id;
    const tickets = ok(await run(SupportTicketsDocument, {}, hana.token)).supportTickets;
    expect(tickets).toEqual([
      { id: ticketId, subject: "My TV lost its pairing", status: "OPEN", responses: [{ id: expect.any(String), body: "It asks for a code again every day.", fromStaff: false, createdAt: expect.any(String) }] },
    ]);
    expect(ok(await run(SupportTicketsDocument, {}, alice.token)).supportTickets.map((ticket) => ticket.id)).not.toContain(ticketId);
    expect(codeOf(await run(OpenSupportTicketDocument, { input: { subject: "Empty", message: "" } }, hana.token))).toBe("BAD_USER_INPUT");
  });

  it("lists a staff reply as an unread notification, and marks it read (idempotent, only its owner)", async () => {
    const staff = ok(await run(SignInDocument, { input: { email: "staff@watchflixx.dev", password: DEMO_PASSWORD } })).signIn.accessToken;
    ok(await run(RespondToSupportTicketDocument, { ticketId, body: "Update the TV app, then pair once more." }, staff));

    const unread = ok(await run(NotificationsDocument, { first: 10, unreadOnly: true }, hana.token)).notifications;
    for (const notification of unread) {
      expect(notification).toEqual({ id: expect.any(String), type: expect.any(String), title: expect.any(String), body: expect.any(String), read: false, createdAt: expect.any(String) });
    }
    // (Other notifications may be there too: creating the party told the host its invite code.)
    const reply = unread.find((notification) => notification.type === "SUPPORT_REPLY");
    expect(reply).toMatchObject({ title: expect.stringContaining("My TV lost its pairing"), body: "Update the TV app, then pair once more." });
    const notificationId = must(reply, "the reply's notification").id;

    expect(codeOf(await run(MarkNotificationReadDocument, { id: notificationId }, alice.token))).toBe("NOT_FOUND");
    expect(ok(await run(MarkNotificationReadDocument, { id: notificationId }, hana.token)).markNotificationRead).toEqual({ id: notificationId, read: true });
    expect(ok(await run(MarkNotificationReadDocument, { id: notificationId }, hana.token)).markNotificationRead).toEqual({ id: notificationId, read: true });
    const stillUnread = ok(await run(NotificationsDocument, { first: 10, unreadOnly: true }, hana.token)).notifications;
    expect(stillUnread.map((notification) => notification.id)).not.toContain(notificationId);
    expect(ok(await run(NotificationsDocument, {}, hana.token)).notifications.map((notification) => notification.id)).toContain(notificationId);

    const tickets = ok(await run(SupportTicketsDocument, {}, hana.token)).supportTickets;
    const ticket = must(tickets[0], "the ticket");
    expect(ticket).toMatchObject({ id: ticketId, status: "ANSWERED" });
    expect(ticket.responses.map((response) => response.fromStaff)).toEqual([false, true]);
    expect(codeOf(await run(NotificationsDocument))).toBe("UNAUTHENTICATED");
  });
});

describe("cancelling, deleting a profile, signing out", () => {
  it("cancels the subscription at the end of the period (it stays usable until then)", async () => {
    const cancelled = ok(await run(CancelSubscriptionDocument, {}, hana.token)).cancelSubscription;
    expect(cancelled).toEqual({ id: expect.any(String), status: expect.stringMatching(/^(ACTIVE|TRIALING)$/), cancelAtPeriodEnd: true });
    expect((await meOf(hana.token)).subscription).toMatchObject({ id: cancelled.id, status: cancelled.status });
  });

  it("deletes a profile with history: true, then false; another account's profile: false", async () => {
    expect(ok(await run(DeleteProfileDocument, { id: hana.kidsProfileId }, hana.token)).deleteProfile).toBe(true);
    expect(ok(await run(DeleteProfileDocument, { id: hana.kidsProfileId }, hana.token)).deleteProfile).toBe(false);
    expect(ok(await run(DeleteProfileDocument, { id: alice.profileId }, hana.token)).deleteProfile).toBe(false);
    const me = await meOf(hana.token);
    expect(me.profiles.map((profile) => profile.id)).not.toContain(hana.kidsProfileId);
    expect((await meOf(alice.token)).profiles.map((profile) => profile.id)).toContain(alice.profileId);
  });

  it("signs the TV out: true, then false; its refresh token stops working", async () => {
    expect(ok(await run(SignOutDocument, {}, hana.tvToken)).signOut).toBe(true);
    expect(ok(await run(SignOutDocument, {}, hana.tvToken)).signOut).toBe(false);
    expect(codeOf(await run(RefreshTokenDocument, { refreshToken: hana.tvRefreshToken }))).toBe("UNAUTHENTICATED");
    expect(codeOf(await run(SignOutDocument))).toBe("UNAUTHENTICATED");
    // The web session is another device: still signed in until it signs out too.
    expect(ok(await run(SignOutDocument, {}, hana.token)).signOut).toBe(true);
    expect(ok(await run(SignOutDocument, {}, hana.token)).signOut).toBe(false);
  });
});

describe("the whole contract went through the gateway", () => {
  it("ran every query and mutation of the contract at least once without errors", () => {
    const expected = contractOperations.filter((operation) => operation.kind !== "subscription").map((operation) => operation.name);
    expect(expected.filter((name) => !client.succeeded.has(name))).toEqual([]);
  });

  it("checked the times, percentages and rates of every response", () => {
    expect(client.checkedResponses).toBeGreaterThan(100);
  });

  it("never answered an error with a stack trace, SQL or internals, and every error had a contract code", () => {
    const codes = new Set(["UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND", "BAD_USER_INPUT", "CONFLICT", "PAYMENT_REQUIRED", "RATE_LIMITED", "INTERNAL_SERVER_ERROR"]);
    expect(client.errorsSeen.length).toBeGreaterThan(30);
    const leaking = client.errorsSeen.map((seen) => ({ ...seen, leaks: leaksOf(seen.error) })).filter((seen) => seen.leaks.length > 0);
    expect(leaking).toEqual([]);
    const uncoded = client.errorsSeen.filter((seen) => !codes.has(String((seen.error as { extensions?: { code?: unknown } }).extensions?.code)));
    expect(uncoded).toEqual([]);
    const internal = client.errorsSeen.filter((seen) => (seen.error as { extensions?: { code?: unknown } }).extensions?.code === "INTERNAL_SERVER_ERROR");
    expect(internal).toEqual([]);
  });
});
