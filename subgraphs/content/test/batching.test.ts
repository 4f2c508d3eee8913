// N+1 guard: entity references and nested lists are batched. Statements are counted on the pg connection
// (what actually reaches PostgreSQL), not in our own loaders.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { countingDatabase, type CountingDatabase } from "@watchflixx/testing";
import { demoAccounts, startContent, type ContentServer, type DemoAccounts } from "./support.ts";

const ENTITIES = /* GraphQL */ `
  query($r: [_Any!]!) {
    _entities(representations: $r) {
      ... on Content { id title maturityRating }
      ... on Season { id number }
      ... on Episode { id number title }
    }
  }`;

/** The tables a statement reads, by its FROM clause ("contents", "seasons", ...). */
const tableOf = (sql: string) => /FROM\s+"?(?:public"?\."?)?"?([a-z_]+)"?/i.exec(sql)?.[1] ?? sql;

describe("content subgraph: batching", () => {
  let database: TestDatabase;
  let counting: CountingDatabase;
  let server: ContentServer;
  let accounts: DemoAccounts;

  beforeAll(async () => {
    database = await createTestDatabase({ seeded: true });
    counting = countingDatabase(database.url);
    // 100 titles with all their seasons, episodes and credits is far above the default operation cost limit
    // (estimated with 20 seasons of 30 episodes each); this file measures batching, not the limits.
    server = await startContent(counting.db, { OPERATION_MAX_COST: 1_000_000 });
    accounts = await demoAccounts(database.db);
  });
  afterAll(async () => {
    await server?.stop();
    await counting?.close();
    await database?.drop();
  });

  it("resolves 100 Content references with one SQL statement", async () => {
    const rows = await database.db.content.findMany({ take: 100, orderBy: { id: "asc" }, select: { id: true, title: true } });
    expect(rows).toHaveLength(100);
    const representations = [...rows.map(({ id }) => ({ __typename: "Content", id })), { __typename: "Content", id: "no-such-title" }];
    counting.reset();
    const result = await server.gql(ENTITIES, { r: representations });
    const statements = counting.statements();
    expect(result.errors).toBeUndefined();
    expect(result.data._entities).toHaveLength(101);
    expect(result.data._entities.slice(0, 100).map((entity: { title: string }) => entity.title)).toEqual(rows.map((row) => row.title));
    expect(result.data._entities[100]).toBeNull();
    expect(statements.map((statement) => tableOf(statement.text))).toEqual(["contents"]);
  });

  it("resolves 100 Episode and 100 Season references with one SQL statement each", async () => {
    const episodes = await database.db.episode.findMany({ take: 100, orderBy: { id: "asc" }, select: { id: true, number: true } });
    const seasons = await database.db.season.findMany({ take: 100, orderBy: { id: "asc" }, select: { id: true, number: true } });
    counting.reset();
    const result = await server.gql(
      ENTITIES,
      {
        r: [
          ...episodes.map(({ id }) => ({ __typename: "Episode", id })),
          ...seasons.map(({ id }) => ({ __typename: "Season", id })),
        ],
      },
      accounts.alice,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data._entities.map((entity: { number: number }) => entity.number)).toEqual([
      ...episodes.map((episode) => episode.number),
      ...seasons.map((season) => season.number),
    ]);
    expect(counting.statements().map((statement) => tableOf(statement.text)).sort()).toEqual(["episodes", "seasons"]);
  });

  it("hides references to unpublished titles (and their seasons and episodes) from everyone but staff", async () => {
    const draft = await database.db.content.create({
      data: { title: "Unreleased Series", type: "SERIES", genres: ["Drama"], releaseYear: 2027, maturityRating: "PG13" },
    });
    const season = await database.db.season.create({ data: { contentId: draft.id, number: 1 } });
    const episode = await database.db.episode.create({
      data: { contentId: draft.id, seasonId: season.id, number: 1, title: "Pilot", durationMinutes: 50 },
    });
    const r = [
      { __typename: "Content", id: draft.id },
      { __typename: "Season", id: season.id },
      { __typename: "Episode", id: episode.id },
    ];
    const user = await server.gql(ENTITIES, { r }, accounts.alice);
    expect(user.data._entities).toEqual([null, null, null]);
    const staff = await server.gql(ENTITIES, { r }, accounts.staff);
    expect(staff.data._entities).toEqual([
      { id: draft.id, title: "Unreleased Series", maturityRating: "PG13" },
      { id: season.id, number: 1 },
      { id: episode.id, number: 1, title: "Pilot" },
    ]);
    await database.db.content.delete({ where: { id: draft.id } });
  });

  it("browses 100 titles with seasons, episodes, cast, crew and subtitles in one statement per list", async () => {
    counting.reset();
    const result = await server.gql(/* GraphQL */ `
      query {
        browse(first: 100) {
          totalCount
          edges { node {
            id title
            cast { name character }
            crew { name job }
            seasons { number episodes { number title season { number } } }
            subtitles { language format }
          } }
        }
      }`);
    expect(result.errors).toBeUndefined();
    expect(result.data.browse.edges).toHaveLength(100);
    const seriesOnPage = result.data.browse.edges.filter((edge: { node: { seasons: unknown[] } }) => edge.node.seasons.length > 0);
    expect(seriesOnPage.length).toBeGreaterThan(1);
    const tables = counting.statements().map((statement) => tableOf(statement.text));
    // browse page + its count, then one statement per nested list (Episode.season is loaded by id: one more).
    expect(tables.sort()).toEqual(
      ["contents", "contents", "seasons", "episodes", "cast_members", "crew_members", "subtitle_files", "seasons"].sort(),
    );
  });

  const DETAILS_FIELDS = /* GraphQL */ `
    id title type genres releaseYear maturityRating
    cast { name character }
    crew { name job department }
    seasons { id number title releaseYear episodes { id number title description durationMinutes airDate } }
    subtitles { language format }`;

  it("reads content(id) with its seasons, episodes, cast, crew and subtitles in one statement, as the per-list loaders do", async () => {
    const [series] = await database.db.$queryRaw<{ id: string }[]>`
      SELECT c.id FROM contents c WHERE c.type = 'SERIES' AND c.published_at IS NOT NULL
         AND EXISTS (SELECT 1 FROM seasons s WHERE s.content_id = c.id)
         AND EXISTS (SELECT 1 FROM subtitle_files f WHERE f.content_id = c.id)
         AND EXISTS (SELECT 1 FROM crew_members m WHERE m.content_id = c.id)
       ORDER BY c.id LIMIT 1`;
    counting.reset();
    const details = await server.gql(`query($id: ID!) { content(id: $id) { ${DETAILS_FIELDS} } }`, { id: series!.id }, accounts.alice);
    const statements = counting.statements();
    expect(details.errors).toBeUndefined();
    expect(statements).toHaveLength(1);
    // The same title as an entity reference is read list by list (the loaders): the same answer.
    const entity = await server.gql(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Content { ${DETAILS_FIELDS} } } }`, {
      r: [{ __typename: "Content", id: series!.id }],
    }, accounts.alice);
    expect(entity.errors).toBeUndefined();
    expect(details.data.content).toEqual(entity.data._entities[0]);
    expect(details.data.content.seasons.length).toBeGreaterThan(0);
    expect(details.data.content.seasons[0].episodes.length).toBeGreaterThan(0);
    expect(details.data.content.subtitles.length).toBeGreaterThan(0);
    // Only what is selected is read: a bare title is one plain statement.
    counting.reset();
    await server.gql(`query($id: ID!) { content(id: $id) { id title } }`, { id: series!.id }, accounts.alice);
    expect(counting.statements().map((statement) => statement.text).join("\n")).not.toMatch(/cast_members|episodes/);
  });

  it("still answers NOT_FOUND for an unpublished title read with its lists, and staff still see it whole", async () => {
    const draft = await database.db.content.create({
      data: { title: "Unreleased Details", type: "SERIES", genres: ["Drama"], releaseYear: 2027, maturityRating: "PG13", cast: { create: { name: "A. Actor" } } },
    });
    const season = await database.db.season.create({ data: { contentId: draft.id, number: 1 } });
    await database.db.episode.create({ data: { contentId: draft.id, seasonId: season.id, number: 1, title: "Pilot", durationMinutes: 50 } });
    const query = `query($id: ID!) { content(id: $id) { ${DETAILS_FIELDS} } }`;
    const user = await server.gql(query, { id: draft.id }, accounts.alice);
    expect(user.data?.content ?? null).toBeNull();
    expect(user.errors?.map((error) => error.extensions?.code)).toEqual(["NOT_FOUND"]);
    const staff = await server.gql(query, { id: draft.id }, accounts.staff);
    expect(staff.errors).toBeUndefined();
    expect(staff.data.content.cast).toEqual([{ name: "A. Actor", character: null }]);
    expect(staff.data.content.seasons).toEqual([{ id: season.id, number: 1, title: null, releaseYear: null, episodes: [expect.objectContaining({ number: 1, title: "Pilot" })] }]);
    await database.db.content.delete({ where: { id: draft.id } });
  });

  it("answers rentalPrice from the title it read, as payment does (null when not for rent, currency upper-case)", async () => {
    const rentable = await database.db.content.create({
      data: { title: "For Rent", type: "MOVIE", genres: ["Drama"], releaseYear: 2020, maturityRating: "PG", publishedAt: new Date(), rentalPriceCents: 399, rentalCurrency: "eur" },
    });
    const notForRent = await database.db.content.create({
      data: { title: "Not For Rent", type: "MOVIE", genres: ["Drama"], releaseYear: 2020, maturityRating: "PG", publishedAt: new Date() },
    });
    try {
      counting.reset();
      const result = await server.gql(`query($a: ID!, $b: ID!) { a: content(id: $a) { rentalPrice { amountCents currency } } b: content(id: $b) { rentalPrice { amountCents currency } } }`, {
        a: rentable.id,
        b: notForRent.id,
      });
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual({ a: { rentalPrice: { amountCents: 399, currency: "EUR" } }, b: { rentalPrice: null } });
      // Read with the titles: one statement for both.
      expect(counting.statements()).toHaveLength(1);
    } finally {
      await database.db.content.deleteMany({ where: { id: { in: [rentable.id, notForRent.id] } } });
    }
  });
});
