// content(id) and browse, straight against the subgraph (identity signed as the gateway signs it), on the
// seeded 500-title catalog.
import { describe, expect, it } from "vitest";
import { MATURITY_ORDER } from "@watchflixx/common";
import type { Identity } from "@watchflixx/common";
import { codesOf, type GraphQLResult } from "@watchflixx/testing";
import { useSeededContent } from "./support.ts";

const CONTENT_DETAILS = /* GraphQL */ `
  query ContentDetails($id: ID!) {
    content(id: $id) {
      id title description type genres releaseYear maturityRating durationMinutes posterUrl
      cast { name character }
      crew { name job }
      seasons { id number title episodes { id number title durationMinutes } }
      subtitles { language format }
    }
  }`;

const BROWSE = /* GraphQL */ `
  query Browse($filter: ContentFilter, $first: Int, $after: String) {
    browse(filter: $filter, first: $first, after: $after) {
      edges { cursor node { id title type genres releaseYear maturityRating posterUrl } }
      pageInfo { hasNextPage endCursor }
      totalCount
    }
  }`;

interface Node {
  id: string;
  title: string;
  type: string;
  genres: string[];
  releaseYear: number;
  maturityRating: string;
}

describe("content subgraph: content(id) and browse", () => {
  const seeded = useSeededContent();

  /** Follows endCursor until hasNextPage is false; `between` runs after each page (concurrent writers). */
  async function walk(
    variables: { filter?: Record<string, unknown>; first?: number },
    as: Identity | null,
    between?: (page: number) => Promise<void>,
  ): Promise<{ nodes: Node[]; pages: number; totalCount: number }> {
    const nodes: Node[] = [];
    let after: string | null = null;
    let pages = 0;
    let totalCount = -1;
    for (;;) {
      const result: GraphQLResult = await seeded.server.gql(BROWSE, { ...variables, after }, as);
      expect(result.errors).toBeUndefined();
      const page = result.data.browse;
      if (pages === 0) totalCount = page.totalCount;
      nodes.push(...page.edges.map((edge: { node: Node }) => edge.node));
      pages += 1;
      if (!page.pageInfo.hasNextPage) break;
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1).cursor);
      after = page.pageInfo.endCursor;
      await between?.(pages);
      if (pages > 1000) throw new Error("browse never ended");
    }
    return { nodes, pages, totalCount };
  }

  it("answers a film's details: duration, no seasons, cast in billing order, subtitle languages", async () => {
    const film = await seeded.database.db.content.findFirstOrThrow({
      where: { type: "MOVIE", publishedAt: { not: null }, cast: { some: { position: { gt: 0 } } }, subtitleFiles: { some: {} } },
      include: { cast: { orderBy: { position: "asc" } }, subtitleFiles: true, crew: true },
    });
    const result = await seeded.server.gql(CONTENT_DETAILS, { id: film.id });
    expect(result.errors).toBeUndefined();
    const content = result.data.content;
    expect(content).toMatchObject({
      id: film.id,
      title: film.title,
      description: film.description,
      type: "MOVIE",
      genres: film.genres,
      releaseYear: film.releaseYear,
      maturityRating: film.maturityRating,
      durationMinutes: film.durationMinutes,
      posterUrl: film.posterUrl,
      seasons: [],
    });
    expect(content.durationMinutes).toBeGreaterThan(0);
    expect(content.cast).toEqual(film.cast.map(({ name, character }) => ({ name, character })));
    expect(content.crew).toHaveLength(film.crew.length);
    const expectedTracks = new Set(film.subtitleFiles.map((file) => `${file.language}/${file.format}`));
    const tracks = content.subtitles.map((track: { language: string; format: string }) => `${track.language}/${track.format}`);
    expect(new Set(tracks)).toEqual(expectedTracks);
    expect(tracks).toHaveLength(expectedTracks.size);
  });

  it("answers a series with its seasons and episodes in order, no duration, subtitles once per language and format", async () => {
    const series = await seeded.database.db.content.findFirstOrThrow({
      where: { type: "SERIES", publishedAt: { not: null }, seasons: { some: { number: 2 } } },
      include: { seasons: { include: { episodes: true } }, subtitleFiles: true },
    });
    const result = await seeded.server.gql(CONTENT_DETAILS, { id: series.id });
    expect(result.errors).toBeUndefined();
    const content = result.data.content;
    expect(content.durationMinutes).toBeNull();
    expect(content.seasons.map((season: { number: number }) => season.number)).toEqual(
      series.seasons.map((season) => season.number).sort((a, b) => a - b),
    );
    for (const season of content.seasons) {
      const stored = series.seasons.find((candidate) => candidate.id === season.id);
      expect(stored).toBeDefined();
      expect(season.episodes.map((episode: { number: number }) => episode.number)).toEqual(
        (stored?.episodes ?? []).map((episode) => episode.number).sort((a, b) => a - b),
      );
      expect(season.episodes.every((episode: { durationMinutes: number }) => episode.durationMinutes > 0)).toBe(true);
    }
    // Episodes each carry subtitle files; the title lists each language/format once.
    expect(series.subtitleFiles.length).toBeGreaterThan(content.subtitles.length);
    const tracks = content.subtitles.map((track: { language: string; format: string }) => `${track.language}/${track.format}`);
    expect(new Set(tracks).size).toBe(tracks.length);
    expect(new Set(tracks)).toEqual(new Set(series.subtitleFiles.map((file) => `${file.language}/${file.format}`)));
  });

  it("answers null with NOT_FOUND for an unknown id", async () => {
    const result = await seeded.server.gql(CONTENT_DETAILS, { id: "00000000-0000-4000-8000-000000000000" }, seeded.accounts.alice);
    expect(result.data.content).toBeNull();
    expect(codesOf(result)).toEqual(["NOT_FOUND"]);
  });

  it("hides an unpublished title from users and anonymous callers, not from staff", async () => {
    const draft = await seeded.database.db.content.create({
      data: { title: "Draft Of Secrets", type: "MOVIE", genres: ["Drama"], releaseYear: 2026, maturityRating: "PG", durationMinutes: 90 },
    });
    for (const caller of [null, seeded.accounts.alice]) {
      const result = await seeded.server.gql(CONTENT_DETAILS, { id: draft.id }, caller);
      expect(result.data.content).toBeNull();
      expect(codesOf(result)).toEqual(["NOT_FOUND"]);
    }
    const staff = await seeded.server.gql(CONTENT_DETAILS, { id: draft.id }, seeded.accounts.staff);
    expect(staff.errors).toBeUndefined();
    expect(staff.data.content.title).toBe("Draft Of Secrets");
    // Nor does browse list it, even to staff.
    const { nodes } = await walk({ first: 100 }, seeded.accounts.staff);
    expect(nodes.some((node) => node.id === draft.id)).toBe(false);
    await seeded.database.db.content.delete({ where: { id: draft.id } });
  });

  it("walks every published title exactly once, newest first, while titles are inserted between pages", async () => {
    const before = await seeded.database.db.content.findMany({ where: { publishedAt: { not: null } }, select: { id: true } });
    const insertedNew: string[] = [];
    const insertedOld: string[] = [];
    const { nodes, pages, totalCount } = await walk({ first: 37 }, null, async (page) => {
      // A title added now sorts before everything already listed; one dated long ago sorts after the cursor.
      const fresh = await seeded.database.db.content.create({
        data: { title: `Fresh ${page}`, type: "MOVIE", genres: ["Drama"], releaseYear: 2026, maturityRating: "G", publishedAt: new Date() },
      });
      const old = await seeded.database.db.content.create({
        data: {
          title: `Archive ${page}`,
          type: "MOVIE",
          genres: ["History"],
          releaseYear: 1950,
          maturityRating: "G",
          publishedAt: new Date(),
          createdAt: new Date(Date.UTC(2001, 0, 1, 0, 0, page)),
        },
      });
      insertedNew.push(fresh.id);
      insertedOld.push(old.id);
    });
    const ids = nodes.map((node) => node.id);
    expect(new Set(ids).size).toBe(ids.length); // no title twice
    expect(totalCount).toBe(before.length);
    for (const { id } of before) expect(ids).toContain(id); // none skipped
    expect(ids.filter((id) => insertedNew.includes(id))).toEqual([]); // newer than the walk's first page
    expect(new Set(ids.filter((id) => insertedOld.includes(id)))).toEqual(new Set(insertedOld)); // after the cursor: seen
    expect(pages).toBe(Math.ceil((before.length + insertedOld.length) / 37));
    // Newest first.
    const created = await seeded.database.db.content.findMany({ where: { id: { in: ids } }, select: { id: true, createdAt: true } });
    const createdAt = new Map(created.map((row) => [row.id, row.createdAt.getTime()]));
    for (let index = 1; index < ids.length; index += 1) {
      expect(createdAt.get(ids[index - 1] ?? "")).toBeGreaterThanOrEqual(createdAt.get(ids[index] ?? "") ?? Infinity);
    }
    await seeded.database.db.content.deleteMany({ where: { id: { in: [...insertedNew, ...insertedOld] } } });
  });

  it("pages titles created in the same millisecond by id, without losing any", async () => {
    const instant = new Date(Date.UTC(2000, 5, 1));
    const twins = await Promise.all(
      Array.from({ length: 7 }, (_, index) =>
        seeded.database.db.content.create({
          data: { title: `Twin ${index}`, type: "DOCUMENTARY", genres: ["Twins"], releaseYear: 2000, maturityRating: "G", publishedAt: instant, createdAt: instant },
        }),
      ),
    );
    const { nodes, pages } = await walk({ filter: { genre: "Twins" }, first: 2 }, null);
    expect(pages).toBe(4);
    expect(nodes.map((node) => node.id)).toEqual(twins.map((twin) => twin.id).sort().reverse());
    await seeded.database.db.content.deleteMany({ where: { id: { in: twins.map((twin) => twin.id) } } });
  });

  it("defaults to 20 per page and refuses more than 100", async () => {
    const page = await seeded.server.gql(BROWSE, {});
    expect(page.data.browse.edges).toHaveLength(20);
    expect(page.data.browse.pageInfo.hasNextPage).toBe(true);
    const hundred = await seeded.server.gql(BROWSE, { first: 100 });
    expect(hundred.data.browse.edges).toHaveLength(100);
    for (const first of [101, -1]) {
      const refused = await seeded.server.gql(BROWSE, { first });
      expect(refused.data).toBeNull();
      expect(codesOf(refused)).toEqual(["BAD_USER_INPUT"]);
    }
  });

  it("refuses a cursor it did not hand out", async () => {
    for (const after of ["not-a-cursor", Buffer.from(JSON.stringify({ c: "yesterday", i: "x" })).toString("base64url")]) {
      const result = await seeded.server.gql(BROWSE, { after });
      expect(codesOf(result)).toEqual(["BAD_USER_INPUT"]);
    }
  });

  it("filters by type, genre and release years, and counts the matches", async () => {
    const filter = { type: "MOVIE", genre: "Drama", releaseYearFrom: 1990, releaseYearTo: 2015 };
    const expected = await seeded.database.db.content.count({
      where: { publishedAt: { not: null }, type: "MOVIE", genres: { has: "Drama" }, releaseYear: { gte: 1990, lte: 2015 } },
    });
    expect(expected).toBeGreaterThan(0);
    const { nodes, totalCount } = await walk({ filter, first: 100 }, null);
    expect(totalCount).toBe(expected);
    expect(nodes).toHaveLength(expected);
    for (const node of nodes) {
      expect(node.type).toBe("MOVIE");
      expect(node.genres).toContain("Drama");
      expect(node.releaseYear).toBeGreaterThanOrEqual(1990);
      expect(node.releaseYear).toBeLessThanOrEqual(2015);
    }
    const backwards = await seeded.server.gql(BROWSE, { filter: { releaseYearFrom: 2020, releaseYearTo: 2010 } });
    expect(codesOf(backwards)).toEqual(["BAD_USER_INPUT"]);
  });

  it("never shows a kids profile anything above PG, on any page", async () => {
    const allowed = await seeded.database.db.content.count({ where: { publishedAt: { not: null }, maturityRating: { in: ["G", "PG"] } } });
    const { nodes, totalCount } = await walk({ filter: { profileId: seeded.accounts.kidsProfileId }, first: 100 }, seeded.accounts.alice);
    expect(nodes).toHaveLength(allowed);
    expect(totalCount).toBe(allowed);
    expect(new Set(nodes.map((node) => node.maturityRating))).toEqual(new Set(["G", "PG"]));
    // The same account's adult profile sees the whole catalog, R and NC17 included.
    const adult = await walk({ filter: { profileId: seeded.accounts.aliceProfileId }, first: 100 }, seeded.accounts.alice);
    expect(new Set(adult.nodes.map((node) => node.maturityRating))).toEqual(new Set(MATURITY_ORDER));
  });

  it("applies the kids rule even when a kids profile's own rating says more", async () => {
    const kids = await seeded.database.db.profile.create({
      data: { userId: seeded.accounts.bob.userId, name: "Bob Junior", isKids: true, maturityRating: "NC17" },
    });
    const { nodes } = await walk({ filter: { profileId: kids.id }, first: 100 }, seeded.accounts.bob);
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.filter((node) => !["G", "PG"].includes(node.maturityRating))).toEqual([]);
    const teen = await seeded.database.db.profile.create({
      data: { userId: seeded.accounts.bob.userId, name: "Bob Teen", isKids: false, maturityRating: "PG13" },
    });
    const teenNodes = (await walk({ filter: { profileId: teen.id }, first: 100 }, seeded.accounts.bob)).nodes;
    expect(new Set(teenNodes.map((node) => node.maturityRating))).toEqual(new Set(["G", "PG", "PG13"]));
    await seeded.database.db.profile.deleteMany({ where: { id: { in: [kids.id, teen.id] } } });
  });

  it("answers NOT_FOUND for another account's profile, UNAUTHENTICATED without a caller", async () => {
    const stranger = await seeded.server.gql(BROWSE, { filter: { profileId: seeded.accounts.bobProfileId } }, seeded.accounts.alice);
    expect(stranger.data).toBeNull();
    expect(codesOf(stranger)).toEqual(["NOT_FOUND"]);
    const unknown = await seeded.server.gql(BROWSE, { filter: { profileId: "00000000-0000-4000-8000-000000000000" } }, seeded.accounts.alice);
    expect(codesOf(unknown)).toEqual(["NOT_FOUND"]);
    const anonymous = await seeded.server.gql(BROWSE, { filter: { profileId: seeded.accounts.kidsProfileId } });
    expect(codesOf(anonymous)).toEqual(["UNAUTHENTICATED"]);
  });

  it("resolves Episode.season for playback's `episode { id number title season { number } }`", async () => {
    const episode = await seeded.database.db.episode.findFirstOrThrow({ include: { season: true } });
    const result = await seeded.server.gql(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Episode { id number title season { number } } } }`,
      { r: [{ __typename: "Episode", id: episode.id }] },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data._entities).toEqual([
      { id: episode.id, number: episode.number, title: episode.title, season: { number: episode.season.number } },
    ]);
  });
});
