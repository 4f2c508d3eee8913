// The analytics subgraph served as it runs (consumer on, heartbeat on, waking through a private Redis that
// the streaming side's relay feeds), with playback events written as the streaming subgraph writes them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import {
  createLogger,
  schemaHash,
  recordEvent,
  type Identity,
} from "@watchflixx/common";
import { codeOf, relayEventsOf, startTestSubgraph, type TestSubgraph } from "@watchflixx/testing";
import { startTestRedis, type TestRedisServer } from "@watchflixx/common/testing/redis";
import { analyticsSubgraph, type AnalyticsConfig, type AnalyticsLoaders } from "../src/index.ts";
import {
  createProfile,
  createTitle,
  createUser,
  newSession,
  playbackProgressed,
  playbackStarted,
  playbackStopped,
} from "./fixtures.ts";

const WAIT = { timeout: 45_000, interval: 100 };
const logger = createLogger("analytics-test", "error");

let database: TestDatabase;
let redisServer: TestRedisServer;
let relay: { stop(): Promise<void> };
let server: TestSubgraph<AnalyticsConfig, AnalyticsLoaders>;

let viewer: Identity;
let staff: Identity;
let adultProfile: { id: string; userId: string };
let kidsProfile: { id: string; userId: string };
let strangerProfile: { id: string; userId: string };
let strangerFriends: { id: string; userId: string }[];
const titles: Record<string, { id: string }> = {};

const TRENDING = "query($first: Int, $profileId: ID) { trending(first: $first, profileId: $profileId) { rank views content { id } } }";

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  redisServer = await startTestRedis();

  const adult = await createUser(db, "viewer");
  const other = await createUser(db, "stranger");
  const staffUser = await createUser(db, "staff", "STAFF");
  viewer = { userId: adult.id, role: "USER", deviceId: null };
  staff = { userId: staffUser.id, role: "STAFF", deviceId: null };
  adultProfile = await createProfile(db, adult.id, "Grown-up");
  kidsProfile = await createProfile(db, adult.id, "Kids", { isKids: true });
  strangerProfile = await createProfile(db, other.id, "Someone else");
  strangerFriends = [await createProfile(db, other.id, "Friend one"), await createProfile(db, other.id, "Friend two")];
  titles.thriller = await createTitle(db, "Night Train", { rating: "R", genres: ["Thriller", "Crime"] });
  titles.cartoon = await createTitle(db, "Paper Boats", { rating: "G", genres: ["Animation", "Family"] });
  titles.drama = await createTitle(db, "Long Summer", { rating: "PG", genres: ["Drama", "Family"] });
  titles.draft = await createTitle(db, "Not Yet Out", { rating: "G", published: false });

  // The streaming side of the bus: its relay copies streaming's committed events to the Redis streams.
  relay = relayEventsOf("streaming", { db, redisUrl: redisServer.url });

  server = await startTestSubgraph(analyticsSubgraph, { db, env: { REDIS_URL: redisServer.url, LOG_LEVEL: "error" }, logger, heartbeat: { intervalMs: 500 } });
});

afterAll(async () => {
  await server?.stop();
  await relay?.stop();
  await redisServer?.stop();
  await database?.drop();
});

/** A session that plays `seconds` and stops, as streaming reports it. */
async function watch(db: TestDatabase["db"], profile: { id: string; userId: string }, contentId: string, seconds: number): Promise<void> {
  const session = newSession(profile, contentId);
  await playbackStarted(db, session);
  await playbackStopped(db, session, { positionSeconds: seconds, totalWatchedSeconds: seconds });
}

const allProcessed = () => database.db.serviceEvent.count({ where: { NOT: { processedBy: { has: "analytics" } } } });

describe("analytics", () => {
  it("reflects viewing in trending within seconds, filtering by maturity before ranking", async () => {
    const { db } = database;
    expect((await server.gql(TRENDING)).data.trending).toEqual([]);

    // Three profiles watch the thriller (one of them three times), two the drama, one the cartoon.
    for (const profile of [strangerProfile, strangerProfile, strangerProfile, ...strangerFriends]) await watch(db, profile, titles.thriller!.id, 90);
    await watch(db, adultProfile, titles.drama!.id, 60);
    await watch(db, adultProfile, titles.drama!.id, 60);
    await watch(db, strangerFriends[0]!, titles.drama!.id, 60);
    await watch(db, kidsProfile, titles.cartoon!.id, 60);
    await watch(db, adultProfile, titles.draft!.id, 60);

    await expect
      .poll(async () => (await server.gql(TRENDING)).data.trending, WAIT)
      .toEqual([
        { rank: 1, views: 3, content: { id: titles.thriller!.id } },
        { rank: 2, views: 2, content: { id: titles.drama!.id } },
        { rank: 3, views: 1, content: { id: titles.cartoon!.id } },
      ]);

    // The kids profile never sees the R-rated title, and the ranks of what it may see start at 1.
    const kids = await server.gql(TRENDING, { profileId: kidsProfile.id }, viewer);
    expect(kids.data.trending).toEqual([
      { rank: 1, views: 2, content: { id: titles.drama!.id } },
      { rank: 2, views: 1, content: { id: titles.cartoon!.id } },
    ]);
    expect((await server.gql(TRENDING, { first: 1 })).data.trending).toHaveLength(1);

    const notMine = await server.gql(TRENDING, { profileId: strangerProfile.id }, viewer);
    expect(codeOf(notMine)).toBe("NOT_FOUND");
    expect(codeOf(await server.gql(TRENDING, { first: 101 }))).toBe("BAD_USER_INPUT");
  });

  it("counts no view for sessions stopped before a minute, and one a day per profile however often it plays", async () => {
    const { db } = database;
    const title = await createTitle(db, "Pump Me Up", { rating: "PG" });
    for (let i = 0; i < 40; i += 1) await watch(db, strangerProfile, title.id, 5);
    await expect.poll(allProcessed, WAIT).toBe(0);
    expect((await db.contentAnalytics.findUniqueOrThrow({ where: { contentId: title.id } })).views).toBe(0);
    expect((await server.gql(TRENDING, { first: 100 })).data.trending.map((item: { content: { id: string } }) => item.content.id)).not.toContain(title.id);

    for (let i = 0; i < 40; i += 1) await watch(db, strangerProfile, title.id, 61);
    await watch(db, strangerFriends[0]!, title.id, 600);
    await expect.poll(allProcessed, WAIT).toBe(0);
    expect(await db.contentAnalytics.findUniqueOrThrow({ where: { contentId: title.id } })).toMatchObject({ views: 2, uniqueViewers: 2 });
    const daily = await db.contentDailyViews.findMany({ where: { contentId: title.id } });
    expect(daily.map((row) => row.views)).toEqual([2]);
    // Watch time still adds up in full: only the view is counted once.
    expect(Number((await db.contentAnalytics.findUniqueOrThrow({ where: { contentId: title.id } })).totalWatchSeconds)).toBe(40 * 5 + 40 * 61 + 600);

    // The next UTC day, the same profile's viewing counts again.
    const tomorrow = newSession(strangerProfile, title.id);
    await playbackStarted(db, tomorrow, new Date(Date.now() + 24 * 60 * 60 * 1000));
    await playbackStopped(db, tomorrow, { positionSeconds: 61, totalWatchedSeconds: 61 });
    await expect.poll(allProcessed, WAIT).toBe(0);
    expect((await db.contentAnalytics.findUniqueOrThrow({ where: { contentId: title.id } })).views).toBe(3);
  });

  it("counts a short title's view after a tenth of its running time", async () => {
    const { db } = database;
    const title = await createTitle(db, "Two Minutes", { rating: "G" });
    const session = newSession(adultProfile, title.id);
    await playbackStarted(db, session);
    // 240 s of running time: 24 s watched make a view.
    await db.$transaction(async (tx) => {
      await recordEvent(tx, {
        eventType: "PlaybackStopped",
        service: "streaming",
        aggregateType: "viewing_session",
        aggregateId: session.sessionId,
        payload: { ...session, episodeId: null, positionSeconds: 24, durationSeconds: 240, totalWatchedSeconds: 24, completed: false, endedAt: new Date().toISOString() },
      });
    });
    await expect.poll(allProcessed, WAIT).toBe(0);
    expect((await db.contentAnalytics.findUniqueOrThrow({ where: { contentId: title.id } })).views).toBe(1);
  });

  it("keeps contentAnalytics for staff: views, unique viewers, completion rate, average watch time", async () => {
    const { db } = database;
    const first = newSession(adultProfile, titles.cartoon!.id);
    const second = newSession(adultProfile, titles.cartoon!.id);
    await playbackStarted(db, first);
    await playbackProgressed(db, first, { positionSeconds: 1200, watchedSeconds: 1200, totalWatchedSeconds: 1200 });
    await playbackProgressed(db, first, { positionSeconds: 6000, watchedSeconds: 4800, totalWatchedSeconds: 6000, completed: true, justCompleted: true });
    await playbackStopped(db, first, { positionSeconds: 6000, totalWatchedSeconds: 6000, completed: true });
    await playbackStarted(db, second);
    // Stopped with watch time no progress report carried: the stop's total counts.
    await playbackStopped(db, second, { positionSeconds: 1000, totalWatchedSeconds: 1000 });

    const query = "query($id: ID!) { contentAnalytics(contentId: $id) { views uniqueViewers completionRate averageWatchSeconds content { id } } }";
    // The kids profile watched this title (60 s) in the first test: 2 views (one per profile and day), 2 profiles.
    const expected = { views: 2, uniqueViewers: 2, completionRate: 1 / 2, averageWatchSeconds: 7060 / 2, content: { id: titles.cartoon!.id } };
    await expect
      .poll(async () => {
        const result = (await server.gql(query, { id: titles.cartoon!.id }, staff)).data?.contentAnalytics;
        return result && { ...result, averageWatchSeconds: Math.round(result.averageWatchSeconds) };
      }, WAIT)
      .toEqual({ ...expected, averageWatchSeconds: Math.round(expected.averageWatchSeconds) });

    const forbidden = await server.gql(query, { id: titles.cartoon!.id }, viewer);
    expect(codeOf(forbidden)).toBe("FORBIDDEN");
    expect(forbidden.data?.contentAnalytics ?? null).toBeNull();
    const unknown = await server.gql(query, { id: "00000000-0000-0000-0000-000000000000" }, staff);
    expect(codeOf(unknown)).toBe("NOT_FOUND");
  });

  it("counts a session's view and watch time once even when its events are delivered twice", async () => {
    const { db } = database;
    const session = newSession(strangerFriends[1]!, titles.drama!.id);
    await playbackStarted(db, session);
    await playbackStarted(db, session);
    await playbackStopped(db, session, { positionSeconds: 100, totalWatchedSeconds: 100 });
    await playbackStopped(db, session, { positionSeconds: 100, totalWatchedSeconds: 100 });
    await expect.poll(allProcessed, WAIT).toBe(0);
    const analytics = await db.contentAnalytics.findUniqueOrThrow({ where: { contentId: titles.drama!.id } });
    expect(analytics.views).toBe(3);
    expect(Number(analytics.totalWatchSeconds)).toBe(60 + 60 + 60 + 100);
  });

  it("answers viewingStats for the caller's own profile only", async () => {
    const query = "query($p: ID!) { viewingStats(profileId: $p) { totalWatchSeconds titlesStarted titlesCompleted topGenres } }";
    await expect
      .poll(async () => (await server.gql(query, { p: adultProfile.id }, viewer)).data?.viewingStats, WAIT)
      .toEqual({ totalWatchSeconds: 7000 + 60 + 60 + 60 + 24, titlesStarted: 4, titlesCompleted: 1, topGenres: expect.arrayContaining(["Family", "Animation", "Drama"]) });
    const other = await server.gql(query, { p: strangerProfile.id }, viewer);
    expect(codeOf(other)).toBe("NOT_FOUND");
    expect(codeOf(await server.gql(query, { p: adultProfile.id }))).toBe("UNAUTHENTICATED");
  });

  it("shows staff every service's heartbeat, schema hash and lag", async () => {
    const query = "{ serviceStatuses { service status lastHeartbeatAt schemaHash lagSeconds unprocessedEvents consumes } }";
    const result = await server.gql(query, {}, staff);
    expect(result.errors).toBeUndefined();
    const statuses = result.data.serviceStatuses as { service: string; status: string; schemaHash: string | null; lagSeconds: number; unprocessedEvents: number; consumes: string[] }[];
    expect(statuses.map((s) => s.service)).toEqual(["auth", "content", "streaming", "payment", "social", "analytics", "notification"]);
    const analytics = statuses.find((s) => s.service === "analytics");
    expect(analytics).toMatchObject({
      status: "RUNNING",
      schemaHash: schemaHash(server.definition.sdl),
      unprocessedEvents: 0,
      lagSeconds: 0,
      consumes: ["PlaybackStarted", "PlaybackProgressed", "PlaybackStopped"],
    });
    expect(statuses.find((s) => s.service === "payment")?.status).toBe("UNKNOWN");
    // The operators' SQL reads the same row.
    const rows = await database.db.$queryRawUnsafe<{ service: string; status: string }[]>("SELECT * FROM service_status");
    expect(rows).toEqual([expect.objectContaining({ service: "analytics", status: "running" })]);

    const forbidden = await server.gql(query, {}, viewer);
    expect(codeOf(forbidden)).toBe("FORBIDDEN");
  });
});
