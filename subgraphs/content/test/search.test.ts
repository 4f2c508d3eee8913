// search: PostgreSQL full-text search (websearch_to_tsquery over the GIN-indexed search_vector), ranking,
// type-ahead prefixes, parental controls, and hostile input.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { codesOf, countingDatabase, type CountingDatabase } from "@watchflixx/testing";
import { demoAccounts, startContent, type ContentServer, type DemoAccounts } from "./support.ts";

const SEARCH = /* GraphQL */ `
  query Search($query: String!, $first: Int, $profileId: ID) {
    search(query: $query, first: $first, profileId: $profileId) { id title type releaseYear maturityRating }
  }`;

interface Hit {
  id: string;
  title: string;
  maturityRating: string;
}

describe("content subgraph: search", () => {
  let database: TestDatabase;
  let counting: CountingDatabase;
  let server: ContentServer;
  let accounts: DemoAccounts;
  const fixtures: Record<string, string> = {};

  beforeAll(async () => {
    database = await createTestDatabase({ seeded: true });
    counting = countingDatabase(database.url);
    server = await startContent(counting.db);
    accounts = await demoAccounts(database.db);
    const publishedAt = new Date();
    const create = async (key: string, data: { title: string; description: string; maturityRating: "G" | "PG" | "R" | "NC17"; genres?: string[] }) => {
      const row = await database.db.content.create({
        data: { type: "MOVIE", releaseYear: 2020, durationMinutes: 100, genres: data.genres ?? ["Drama"], publishedAt, ...data },
      });
      fixtures[key] = row.id;
    };
    // "quokka" is in one title, and (several times) in two descriptions: the title match must still come first.
    await create("described", {
      title: "Island Days",
      description: "A quokka, a quokka keeper and the last quokka colony: quokka after quokka on Rottnest.",
      maturityRating: "PG",
    });
    await create("titled", { title: "The Quokka Affair", description: "A diplomatic incident on a small island.", maturityRating: "PG" });
    await create("adult", { title: "Night Shift", description: "A quokka smuggling ring, told without mercy.", maturityRating: "R" });
    await create("explicit", { title: "Quokka Underground", description: "Not for children.", maturityRating: "NC17" });
    await create("draft", { title: "Quokka Draft", description: "Unpublished.", maturityRating: "G" });
    await database.db.content.update({ where: { id: fixtures.draft }, data: { publishedAt: null } });
    await create("kidsFavourite", { title: "Marmalade Meadow", description: "Gentle farm friends.", maturityRating: "G", genres: ["Family"] });
  });
  afterAll(async () => {
    await server?.stop();
    await counting?.close();
    await database?.drop();
  });

  const search = async (variables: Record<string, unknown>, as = accounts?.alice ?? null) => {
    const result = await server.gql(SEARCH, variables, as);
    expect(result.errors).toBeUndefined();
    return result.data.search as Hit[];
  };

  it("finds titles by words of their title and of their description, title matches first", async () => {
    const hits = await search({ query: "quokka" });
    const ids = hits.map((hit) => hit.id);
    expect(ids).toContain(fixtures.described); // description only
    expect(ids).toContain(fixtures.adult); // description only
    // Titles containing the word rank before titles whose description has it, however often.
    const titled = [fixtures.titled, fixtures.explicit];
    expect(new Set(ids.slice(0, 2))).toEqual(new Set(titled));
    expect(ids).not.toContain(fixtures.draft); // unpublished
  });

  it("finds a seeded title by the words of its title", async () => {
    const titles = await database.db.content.findMany({ where: { publishedAt: { not: null } }, take: 20, orderBy: { id: "asc" } });
    for (const title of titles.slice(0, 5)) {
      const hits = await search({ query: title.title, first: 100 });
      expect(hits.map((hit) => hit.id)).toContain(title.id);
    }
  });

  it("matches the last word as a prefix while typing, and stems whole words", async () => {
    expect((await search({ query: "marmal" })).map((hit) => hit.id)).toContain(fixtures.kidsFavourite);
    expect((await search({ query: "gentle far" })).map((hit) => hit.id)).toContain(fixtures.kidsFavourite);
    // A finished word (trailing space) is matched whole, not as a prefix.
    expect((await search({ query: "marmal " })).map((hit) => hit.id)).not.toContain(fixtures.kidsFavourite);
    // English stemming: "meadows" finds "Meadow".
    expect((await search({ query: "meadows" })).map((hit) => hit.id)).toContain(fixtures.kidsFavourite);
  });

  it("understands web-search syntax: quoted phrases and exclusions", async () => {
    const phrase = (await search({ query: '"quokka affair"' })).map((hit) => hit.id);
    expect(phrase).toEqual([fixtures.titled]);
    const without = (await search({ query: "quokka -smuggling" })).map((hit) => hit.id);
    expect(without).toContain(fixtures.titled);
    expect(without).not.toContain(fixtures.adult);
  });

  it("applies a kids profile's limit: nothing above PG", async () => {
    const kids = await search({ query: "quokka", profileId: accounts.kidsProfileId });
    expect(kids.map((hit) => hit.id).sort()).toEqual([fixtures.described, fixtures.titled].sort());
    // Over the seeded catalog too: words common in R and NC17 titles.
    for (const query of ["blood", "crime", "horror", "night", "truth"]) {
      const hits = await search({ query, first: 100, profileId: accounts.kidsProfileId });
      expect(hits.filter((hit) => !["G", "PG"].includes(hit.maturityRating))).toEqual([]);
    }
    const adult = await search({ query: "quokka", profileId: accounts.aliceProfileId });
    expect(adult.map((hit) => hit.maturityRating)).toEqual(expect.arrayContaining(["R", "NC17"]));
  });

  it("answers NOT_FOUND for another account's profile", async () => {
    const result = await server.gql(SEARCH, { query: "quokka", profileId: accounts.bobProfileId }, accounts.alice);
    expect(result.data).toBeNull();
    expect(codesOf(result)).toEqual(["NOT_FOUND"]);
  });

  it("refuses an empty or blank query and more than 100 results", async () => {
    for (const query of ["", "   "]) {
      expect(codesOf(await server.gql(SEARCH, { query }))).toEqual(["BAD_USER_INPUT"]);
    }
    expect(codesOf(await server.gql(SEARCH, { query: "quokka", first: 101 }))).toEqual(["BAD_USER_INPUT"]);
    expect(await search({ query: "truth", first: 3 })).toHaveLength(3);
    expect(await search({ query: "truth" })).toHaveLength(20);
    // Stop words alone match nothing (and are no error).
    expect(await search({ query: "the" })).toEqual([]);
  });

  it("treats SQL and tsquery syntax in the query as text", async () => {
    for (const query of ["'); DROP TABLE contents; --", "quokka & | ! :* <-> (", "!!!", '"unterminated', "-", "or", "a:* & b"]) {
      const result = await server.gql(SEARCH, { query });
      expect(result.errors).toBeUndefined();
      expect(Array.isArray(result.data.search)).toBe(true);
    }
    expect(await database.db.content.count()).toBeGreaterThan(500);
  });

  it("sends one parameterised statement that the GIN index on search_vector can answer", async () => {
    counting.reset();
    await search({ query: "quokka affa" });
    const statements = counting.statements();
    const fullText = statements.filter((statement) => statement.text.includes("search_vector @@"));
    expect(fullText).toHaveLength(1);
    const { text: sql, values } = fullText[0] ?? { text: "", values: [] };
    expect(values).toContain("quokka affa");
    expect(sql).toContain("websearch_to_tsquery");
    expect(sql).not.toContain("quokka"); // the user's words travel as bind parameters
    expect(sql).not.toMatch(/like/i);
    // The plan of that statement, with sequential scans discouraged, goes through contents_search_vector_idx.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query("SET enable_seqscan = off");
      const plan = await client.query(`EXPLAIN ${sql}`, values);
      expect(plan.rows.map((row: Record<string, string>) => Object.values(row)[0]).join("\n")).toContain("contents_search_vector_idx");
    } finally {
      await client.end();
    }
  });
});
