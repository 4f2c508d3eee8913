// Analytics behind the real gateway, with the real auth, content, payment and streaming subgraphs: playback
// started and reported through the contract's operations reaches trending, viewingStats and contentAnalytics
// through the event bus (streaming's relay → a private Redis → the analytics consumer).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { startTestRedis, type TestRedisServer } from "@watchflixx/common/testing/redis";
import { codeOf, contractOperation, relayEventsOf, signIn, signUpViewer, startSupergraph, type RunningSupergraph } from "@watchflixx/testing";
import { authSubgraph } from "@watchflixx/auth";
import { contentSubgraph } from "@watchflixx/content";
import { paymentSubgraph } from "@watchflixx/payment";
import { streamingSubgraph } from "@watchflixx/streaming";
import { analyticsSubgraphWith } from "../../src/index.ts";

const WAIT = { timeout: 60_000, interval: 200 };
const op = contractOperation;

let database: TestDatabase;
let redisServer: TestRedisServer;
let relay: { stop(): Promise<void> };
let supergraph: RunningSupergraph;

/** A new subscriber with an adult and a kids profile. */
async function signUpSubscriber(name: string) {
  const viewer = await signUpViewer(supergraph.client, name, { kidsProfile: true, subscribe: true });
  return { ...viewer, kidsProfileId: viewer.kidsProfileId as string };
}

/** A published film nobody has watched yet (the seed gives the first titles some views), with a video. */
async function unwatchedFilm(rating: "PG" | "PG13" | "R" = "PG13"): Promise<{ id: string; title: string }> {
  const [film] = await database.db.$queryRaw<{ id: string; title: string }[]>`
    SELECT c.id, c.title FROM contents c
    WHERE c.type = 'MOVIE' AND c.published_at IS NOT NULL AND c.maturity_rating::text = ${rating}
      AND EXISTS (SELECT 1 FROM video_files v WHERE v.content_id = c.id AND v.episode_id IS NULL)
      AND NOT EXISTS (SELECT 1 FROM content_daily_views d WHERE d.content_id = c.id)
      AND NOT EXISTS (SELECT 1 FROM content_analytics a WHERE a.content_id = c.id)
    ORDER BY c.title LIMIT 1`;
  if (!film) throw new Error("the seed has no unwatched film");
  return film;
}

beforeAll(async () => {
  database = await createTestDatabase({ seeded: true });
  redisServer = await startTestRedis();
  supergraph = await startSupergraph({
    db: database.db,
    // The pumping test starts one title 40 times in seconds: more than a real profile may (20 a minute).
    config: { LOG_LEVEL: "error", REDIS_URL: redisServer.url, RATE_LIMITS: { "playback-start-profile": { points: 1000, seconds: 60 } } },
    subgraphs: [
      authSubgraph,
      contentSubgraph,
      paymentSubgraph,
      streamingSubgraph,
      analyticsSubgraphWith({ consumer: { pollIntervalMs: 1_000 } }),
    ],
  });
  relay = relayEventsOf("streaming", { db: database.db, redisUrl: redisServer.url });
});

afterAll(async () => {
  await relay?.stop();
  await supergraph?.stop();
  await redisServer?.stop();
  await database?.drop();
});

describe("analytics through the gateway", () => {
  it("shows a title in trending within seconds of its first playback", async () => {
    const viewer = await signUpSubscriber("trend");
    const film = await unwatchedFilm();
    const trending = async () => (await supergraph.gql(op("web/catalog.graphql", "Trending"), { first: 100 })).data.trending as { rank: number; views: number; content: { id: string; title: string } }[];
    expect((await trending()).map((item) => item.content.id)).not.toContain(film.id);

    const started = await supergraph.gql(op("web/playback.graphql", "StartPlayback"), { input: { profileId: viewer.profileId, contentId: film.id } }, { token: viewer.token });
    expect(started.errors).toBeUndefined();
    const sessionId: string = started.data.startPlayback.id;
    const report = (positionSeconds: number, event: string) =>
      supergraph.gql(op("web/playback.graphql", "ReportProgress"), { input: { sessionId, positionSeconds, event } }, { token: viewer.token });

    // Five minutes watched make it a view.
    expect((await report(300, "HEARTBEAT")).errors).toBeUndefined();
    await expect.poll(async () => (await trending()).find((item) => item.content.id === film.id), WAIT).toMatchObject({ views: 1, content: { title: film.title } });
    const ranks = (await trending()).map((item) => item.rank);
    expect(ranks).toEqual(ranks.map((_rank, index) => index + 1));

    // Watch ten minutes and stop: the profile's viewing stats follow.
    expect((await report(600, "STOP")).errors).toBeUndefined();
    await expect
      .poll(async () => (await supergraph.gql(op("web/analytics.graphql", "ViewingStats"), { profileId: viewer.profileId }, { token: viewer.token })).data?.viewingStats, WAIT)
      .toMatchObject({ totalWatchSeconds: 600, titlesStarted: 1, titlesCompleted: 0 });

    const stranger = await signUpSubscriber("stranger");
    const notMine = await supergraph.gql(op("web/analytics.graphql", "ViewingStats"), { profileId: viewer.profileId }, { token: stranger.token });
    expect(codeOf(notMine)).toBe("NOT_FOUND");
  });

  it("ranks only what a kids profile may watch, and the TV home screen composes across five subgraphs", async () => {
    const viewer = await signUpSubscriber("family");
    const adultFilm = await unwatchedFilm("R");
    const started = await supergraph.gql(op("web/playback.graphql", "StartPlayback"), { input: { profileId: viewer.profileId, contentId: adultFilm.id } }, { token: viewer.token });
    expect(started.errors).toBeUndefined();
    const watched = await supergraph.gql(op("web/playback.graphql", "ReportProgress"), { input: { sessionId: started.data.startPlayback.id, positionSeconds: 120, event: "STOP" } }, { token: viewer.token });
    expect(watched.errors).toBeUndefined();
    const query = "query($p: ID) { trending(first: 100, profileId: $p) { rank content { id maturityRating } } }";
    await expect
      .poll(async () => (await supergraph.gql(query, { p: viewer.profileId }, { token: viewer.token })).data.trending.map((i: { content: { id: string } }) => i.content.id), WAIT)
      .toContain(adultFilm.id);

    const kids = await supergraph.gql(query, { p: viewer.kidsProfileId }, { token: viewer.token });
    expect(kids.errors).toBeUndefined();
    const items = kids.data.trending as { rank: number; content: { id: string; maturityRating: string } }[];
    expect(items.map((item) => item.content.id)).not.toContain(adultFilm.id);
    expect(items.every((item) => ["G", "PG"].includes(item.content.maturityRating))).toBe(true);
    expect(items.map((item) => item.rank)).toEqual(items.map((_item, index) => index + 1));

    const home = await supergraph.gql(op("tv/home.graphql", "TvHome"), { profileId: viewer.kidsProfileId }, { token: viewer.token });
    expect(home.errors).toBeUndefined();
    expect(home.data.trending.length).toBeLessThanOrEqual(10);
  });

  it("counts 40 start/stop cycles of one profile as one view, and a second profile's as a second", async () => {
    const viewer = await signUpSubscriber("pump");
    const film = await unwatchedFilm("PG");
    const cycle = async (profileId: string, watchSeconds: number) => {
      const started = await supergraph.gql(op("web/playback.graphql", "StartPlayback"), { input: { profileId, contentId: film.id } }, { token: viewer.token });
      expect(started.errors).toBeUndefined();
      const { id: sessionId, resumePositionSeconds } = started.data.startPlayback as { id: string; resumePositionSeconds: number };
      const stopped = await supergraph.gql(op("web/playback.graphql", "ReportProgress"), { input: { sessionId, positionSeconds: resumePositionSeconds + watchSeconds, event: "STOP" } }, { token: viewer.token });
      expect(stopped.errors).toBeUndefined();
    };
    // Twenty cycles too short to be a view, then twenty that each watch over a minute: one view in all.
    for (let i = 0; i < 20; i += 1) await cycle(viewer.profileId, 3);
    for (let i = 0; i < 20; i += 1) await cycle(viewer.profileId, 61);
    await cycle(viewer.kidsProfileId, 90);

    const trending = async () => (await supergraph.gql(op("web/catalog.graphql", "Trending"), { first: 100 })).data.trending as { views: number; content: { id: string } }[];
    await expect.poll(async () => (await trending()).find((item) => item.content.id === film.id)?.views, WAIT).toBe(2);
    await expect.poll(() => database.db.serviceEvent.count({ where: { service: "streaming", NOT: { processedBy: { has: "analytics" } } } }), WAIT).toBe(0);
    expect((await trending()).find((item) => item.content.id === film.id)?.views).toBe(2);
    expect(await database.db.contentAnalytics.findUniqueOrThrow({ where: { contentId: film.id } })).toMatchObject({ views: 2, uniqueViewers: 2 });
  });

  it("gives contentAnalytics and serviceStatuses to staff only", async () => {
    const film = await unwatchedFilm();
    const viewer = await signUpSubscriber("counted");
    const started = await supergraph.gql(op("web/playback.graphql", "StartPlayback"), { input: { profileId: viewer.profileId, contentId: film.id } }, { token: viewer.token });
    await supergraph.gql(op("web/playback.graphql", "ReportProgress"), { input: { sessionId: started.data.startPlayback.id, positionSeconds: 120, event: "STOP" } }, { token: viewer.token });
    const staff = await signIn(supergraph.client, "staff@watchflixx.dev");
    await expect
      .poll(async () => (await supergraph.gql(op("web/analytics.graphql", "ContentAnalytics"), { contentId: film.id }, { token: staff })).data?.contentAnalytics, WAIT)
      .toEqual({ views: 1, uniqueViewers: 1, completionRate: 0, averageWatchSeconds: 120, content: { id: film.id, title: film.title } });
    const alice = await signIn(supergraph.client, "alice@watchflixx.dev");
    expect(codeOf(await supergraph.gql(op("web/analytics.graphql", "ContentAnalytics"), { contentId: film.id }, { token: alice }))).toBe("FORBIDDEN");

    const statuses = "{ serviceStatuses { service status schemaHash lagSeconds unprocessedEvents } }";
    const result = await supergraph.gql(statuses, {}, { token: staff });
    expect(result.errors).toBeUndefined();
    expect(result.data.serviceStatuses.find((s: { service: string }) => s.service === "analytics")).toMatchObject({ unprocessedEvents: 0, lagSeconds: 0 });
    expect(codeOf(await supergraph.gql(statuses, {}, { token: alice }))).toBe("FORBIDDEN");
  });
});
