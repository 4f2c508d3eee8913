// What a screen costs PostgreSQL: the SQL statements every subgraph sends for one contract operation through the
// gateway, counted on the wire of the one database client they share (@watchflixx/testing's countingDatabase). Each statement is a socket round trip; a screen's data
// is read with few statements, and none is sent twice within one request.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContentDetailsDocument, SignInDocument, TvHomeDocument, type TypedDocumentNode } from "@watchflixx/clients";
import type { PrismaClient } from "@watchflixx/db";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { countingDatabase, startSupergraph, type CountingDatabase, type RunningSupergraph } from "@watchflixx/testing";
import { allSubgraphs, DEMO_PASSWORD } from "./support.ts";
import { operationName } from "./contract.ts";

/** The table a statement reads first (its first FROM), unquoted: "contents", "watch_history", ... */
function tableOf(sql: string): string {
  return /FROM\s+(?:"?public"?\.)?"?([a-z_]+)"?/i.exec(sql)?.[1] ?? sql;
}

describe("SQL statements per screen, through the gateway", () => {
  let database: TestDatabase;
  let counting: CountingDatabase;
  let db: PrismaClient;
  let supergraph: RunningSupergraph;
  let token: string;
  let profileId: string;
  let seriesId: string;

  beforeAll(async () => {
    database = await createTestDatabase({ seeded: true });
    counting = countingDatabase(database.url);
    db = counting.db;
    // What the subgraphs send for a screen the gateway fetches: the entity cache (which answers repeats without
    // them, and asks auth for a profile's maturity limit on a miss) is measured by the benchmark, not here.
    supergraph = await startSupergraph({ db, config: { LOG_LEVEL: "error", ENTITY_CACHE: "off" }, subgraphs: await allSubgraphs() });
    const signIn = await supergraph.gql(SignInDocument, {
      input: { email: "alice@watchflixx.dev", password: DEMO_PASSWORD, deviceName: "living room", deviceType: "TV" },
    }, { operationName: operationName(SignInDocument) });
    token = signIn.data!.signIn.accessToken;
    const profile = await db.profile.findFirstOrThrow({ where: { user: { email: "alice@watchflixx.dev" }, isKids: false }, orderBy: { createdAt: "asc" } });
    profileId = profile.id;
    const [series] = await db.$queryRaw<{ id: string }[]>`
      SELECT c.id FROM contents c
      WHERE c.type = 'SERIES' AND c.published_at IS NOT NULL AND EXISTS (SELECT 1 FROM seasons s WHERE s.content_id = c.id)
      ORDER BY (SELECT count(*) FROM reviews r WHERE r.content_id = c.id) DESC, c.id LIMIT 1`;
    seriesId = series!.id;
  });
  afterAll(async () => {
    await supergraph?.stop();
    await counting?.close();
    await database?.drop();
  });

  async function countStatements<TData, TVariables extends Record<string, unknown>>(document: TypedDocumentNode<TData, TVariables>, variables: TVariables) {
    counting.reset();
    const result = await supergraph.gql(document, variables, { token, operationName: operationName(document) });
    expect(result.errors).toBeUndefined();
    if (!result.data) throw new Error("no data");
    // The event consumers' polling (analytics, notification) runs on its own clock, not for a request.
    const sent = counting.statements().map((statement) => statement.text).filter((text) => !/FROM service_events/.test(text));
    return { data: result.data, sent };
  }

  it("ContentDetails (a series, with the viewer's progress) reads each table once", async () => {
    // Warm: the profile's facts are in the profile-access cache (a first request filled it).
    await countStatements(ContentDetailsDocument, { id: seriesId, profileId });
    const { data, sent } = await countStatements(ContentDetailsDocument, { id: seriesId, profileId });
    expect(data.content?.seasons.length).toBeGreaterThan(0);
    // content: the title with its seasons, episodes, cast, crew, subtitles (and rental price) in one statement;
    // streaming: its progress, and the ratings with the reviews (the profile comes from the profile-access cache).
    // Issue 13: at most 4.
    expect(sent.length).toBeLessThanOrEqual(4);
    expect(sent.map(tableOf).sort()).toEqual(["contents", "ratings", "watch_history"].sort());
    expect(sent.filter((text) => /cast_members/.test(text) && /episodes/.test(text) && /subtitle_files/.test(text))).toHaveLength(1);
  });

  it("TvHome, warm: at most 8 statements, none sent twice, the profile read by auth alone", async () => {
    await countStatements(TvHomeDocument, { profileId });
    const { data, sent } = await countStatements(TvHomeDocument, { profileId });
    expect(data.continueWatching.length).toBeGreaterThan(0);
    expect(data.profile?.watchlist?.length).toBeGreaterThan(0);
    // Issue 13: <= 8, none repeated. The profile is read by auth (`profile(id)`); content's browse, analytics'
    // trending and streaming's continueWatching and Profile.watchlist (each its own subgraph request, with its own
    // authorization) take its owner, limit and PIN from the profile-access cache, which auth writes through (before
    // it, 11 statements: each of those four read the same profiles row again). The titles' names and posters of
    // continue watching, the watchlist and trending come with those rows (@provides), and so do the resume
    // episodes' numbers and their seasons': `contents` is read only by browse and for the trending titles' rental
    // prices, `episodes` by nobody.
    expect(sent.length).toBeLessThanOrEqual(8);
    expect(sent.length - new Set(sent).size, `repeated:\n${sent.join("\n")}`).toBe(0);
    expect(sent.filter((text) => ["episodes", "seasons"].includes(tableOf(text)))).toEqual([]);
    expect(sent.filter((text) => tableOf(text) === "profiles")).toHaveLength(1);
    expect(sent.filter((text) => tableOf(text) === "contents")).toHaveLength(2);
  });

  it("TvHome: the names, posters and episode numbers streaming and analytics provide are the catalog's current ones", async () => {
    const first = await countStatements(TvHomeDocument, { profileId });
    const provided = [
      ...first.data.continueWatching.map((item) => item.content),
      ...(first.data.profile?.watchlist ?? []).map((item) => item.content),
      ...first.data.trending.map((item) => item.content),
    ];
    expect(provided.length).toBeGreaterThan(2);
    const ids = [...new Set(provided.map((content) => content.id))];
    const rows = await db.content.findMany({ where: { id: { in: ids } }, select: { id: true, title: true, posterUrl: true } });
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const content of provided) expect(content).toMatchObject({ title: byId.get(content.id)?.title, posterUrl: byId.get(content.id)?.posterUrl });
    // The resume episodes' numbers, and their seasons', as the catalog has them.
    const resumed = first.data.continueWatching.flatMap((item) => (item.episode ? [item.episode] : []));
    expect(resumed.length).toBeGreaterThan(0);
    const episodes = await db.episode.findMany({ where: { id: { in: resumed.map((episode) => episode.id) } }, select: { id: true, number: true, season: { select: { number: true } } } });
    const episodeById = new Map(episodes.map((episode) => [episode.id, episode]));
    for (const episode of resumed) {
      expect(episode).toEqual({ id: episode.id, number: episodeById.get(episode.id)?.number, season: { number: episodeById.get(episode.id)?.season.number } });
    }
    // Renamed (an editor's change): the very next request shows the new names everywhere.
    try {
      for (const row of rows) await db.content.update({ where: { id: row.id }, data: { title: `${row.title} (renamed)`, posterUrl: `https://img.example/${row.id}.jpg` } });
      const second = await countStatements(TvHomeDocument, { profileId });
      const again = [
        ...second.data.continueWatching.map((item) => item.content),
        ...(second.data.profile?.watchlist ?? []).map((item) => item.content),
        ...second.data.trending.map((item) => item.content),
      ];
      expect(again.map((content) => content.id)).toEqual(provided.map((content) => content.id));
      for (const content of again) {
        expect(content).toMatchObject({ title: `${byId.get(content.id)?.title} (renamed)`, posterUrl: `https://img.example/${content.id}.jpg` });
      }
    } finally {
      for (const row of rows) await db.content.update({ where: { id: row.id }, data: { title: row.title, posterUrl: row.posterUrl } });
    }
  });
});
