// Through the real gateway (composed from this subgraph's SDL), with the client contract's own documents:
// catalog.graphql, the browse part of tv/home.graphql, and playback's `episode { ... season { number } }`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { issueAccessToken, type Identity } from "@watchflixx/common";
import { startSupergraph, type GraphQLResult, type RunningSupergraph } from "@watchflixx/testing";
import { contentSubgraph } from "../src/index.ts";
import { demoAccounts, type DemoAccounts } from "./support.ts";
import { operation, readOperations, reduceToSchema, supergraphApiSchema } from "./operations.ts";

/** Fields of the contract that other subgraphs serve (streaming, payment, analytics, auth). */
const FOREIGN_FIELDS = new Set([
  "Content.averageRating",
  "Content.ratingCount",
  "Content.reviews",
  "Content.rentalPrice",
  "Content.progress",
  "Query.trending",
  "Query.profile",
  "Query.continueWatching",
  "Mutation.startDevicePairing",
  "Mutation.approveDevicePairing",
  "Mutation.completeDevicePairing",
]);

interface BrowsePage {
  edges: { node: { id: string; maturityRating: string } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

describe("content through the gateway, with the contract's documents", () => {
  let database: TestDatabase;
  let supergraph: RunningSupergraph;
  let accounts: DemoAccounts;
  const tokens: Record<"alice" | "bob" | "staff", string> = { alice: "", bob: "", staff: "" };
  let catalog: { Browse: string; Search: string; ContentDetails: string };
  let tvHome: string;

  beforeAll(async () => {
    database = await createTestDatabase({ seeded: true });
    supergraph = await startSupergraph({ db: database.db, subgraphs: [contentSubgraph] });
    accounts = await demoAccounts(database.db);
    const token = (identity: Identity) => issueAccessToken(identity, supergraph.config.JWT_ACCESS_SECRET);
    tokens.alice = await token(accounts.alice);
    tokens.bob = await token(accounts.bob);
    tokens.staff = await token(accounts.staff);

    const schema = supergraphApiSchema(supergraph.supergraphSdl);
    const web = reduceToSchema(readOperations("web/catalog.graphql"), schema);
    const tv = reduceToSchema(readOperations("tv/home.graphql"), schema);
    for (const field of [...web.removed, ...tv.removed]) expect(FOREIGN_FIELDS).toContain(field);
    catalog = {
      Browse: operation(web.document, "Browse"),
      Search: operation(web.document, "Search"),
      ContentDetails: operation(web.document, "ContentDetails"),
    };
    tvHome = operation(tv.document, "TvHome");
  });
  afterAll(async () => {
    await supergraph?.stop();
    await database?.drop();
  });

  const code = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) =>
    (result.errors ?? []).map((error) => error.extensions?.code);

  it("serves the catalog documents' content fields unchanged: Search validates as the client sends it", () => {
    const original = operation(readOperations("web/catalog.graphql"), "Search");
    expect(catalog.Search).toBe(original);
  });

  it("Browse: pages through the catalog with the kids profile's limit; TvHome's browse as the TV sends it", async () => {
    const seen = new Set<string>();
    let after: string | null = null;
    let total = -1;
    for (;;) {
      const result: GraphQLResult = await supergraph.gql(
        catalog.Browse,
        { filter: { profileId: accounts.kidsProfileId }, first: 100, after },
        { token: tokens.alice },
      );
      expect(result.errors).toBeUndefined();
      const page: BrowsePage = result.data.browse;
      total = page.totalCount;
      for (const edge of page.edges) {
        expect(["G", "PG"]).toContain(edge.node.maturityRating);
        expect(seen.has(edge.node.id)).toBe(false);
        seen.add(edge.node.id);
      }
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen.size).toBe(total);
    expect(total).toBe(await database.db.content.count({ where: { publishedAt: { not: null }, maturityRating: { in: ["G", "PG"] } } }));

    const home = await supergraph.gql(tvHome, { profileId: accounts.kidsProfileId }, { token: tokens.alice });
    expect(home.errors).toBeUndefined();
    expect(home.data.browse.edges).toHaveLength(20);
    for (const edge of home.data.browse.edges) {
      expect(["G", "PG"]).toContain(edge.node.maturityRating);
      expect(edge.node.posterUrl).toMatch(/^https:\/\//);
    }
  });

  it("Browse: another account's profile is NOT_FOUND, more than 100 is BAD_USER_INPUT", async () => {
    const stranger = await supergraph.gql(catalog.Browse, { filter: { profileId: accounts.bobProfileId } }, { token: tokens.alice });
    expect(code(stranger)).toEqual(["NOT_FOUND"]);
    expect(stranger.data ?? null).toBeNull();
    const tooMany = await supergraph.gql(catalog.Browse, { first: 101 });
    expect(code(tooMany)).toEqual(["BAD_USER_INPUT"]);
  });

  it("Search: finds by title, keeps a kids profile below PG13, refuses a blank query", async () => {
    const title = await database.db.content.findFirstOrThrow({ where: { publishedAt: { not: null }, maturityRating: "R" } });
    const adult = await supergraph.gql(catalog.Search, { query: title.title, first: 50, profileId: accounts.aliceProfileId }, { token: tokens.alice });
    expect(adult.errors).toBeUndefined();
    expect(adult.data.search.map((hit: { id: string }) => hit.id)).toContain(title.id);
    const kids = await supergraph.gql(catalog.Search, { query: title.title, first: 50, profileId: accounts.kidsProfileId }, { token: tokens.alice });
    expect(kids.errors).toBeUndefined();
    const kidsIds: string[] = kids.data.search.map((hit: { id: string }) => hit.id);
    expect(kidsIds).not.toContain(title.id);
    const ratings = await database.db.content.findMany({ where: { id: { in: kidsIds } }, select: { maturityRating: true } });
    expect(ratings.filter((row) => !["G", "PG"].includes(row.maturityRating))).toEqual([]);
    expect(code(await supergraph.gql(catalog.Search, { query: " " }))).toEqual(["BAD_USER_INPUT"]);
  });

  it("ContentDetails: a series with seasons and episodes, a film with none; unknown ids are NOT_FOUND", async () => {
    const series = await database.db.content.findFirstOrThrow({ where: { type: "SERIES", seasons: { some: {} } }, include: { seasons: true } });
    const result = await supergraph.gql(catalog.ContentDetails, { id: series.id }, { token: tokens.bob });
    expect(result.errors).toBeUndefined();
    expect(result.data.content).toMatchObject({ id: series.id, title: series.title, type: "SERIES", durationMinutes: null });
    expect(result.data.content.seasons).toHaveLength(series.seasons.length);
    expect(result.data.content.seasons[0].episodes.length).toBeGreaterThan(0);

    const film = await database.db.content.findFirstOrThrow({ where: { type: "MOVIE" } });
    const filmResult = await supergraph.gql(catalog.ContentDetails, { id: film.id });
    expect(filmResult.data.content).toMatchObject({ id: film.id, seasons: [], durationMinutes: film.durationMinutes });

    const missing = await supergraph.gql(catalog.ContentDetails, { id: "00000000-0000-4000-8000-000000000000" });
    expect(missing.data.content).toBeNull();
    expect(code(missing)).toEqual(["NOT_FOUND"]);
  });

  it("serves playback's episode shape: episode { id number title season { number } }", async () => {
    const episode = await database.db.episode.findFirstOrThrow({ where: { season: { number: 2 } }, include: { season: true } });
    const result = await supergraph.gql(
      `query($id: ID!) { content(id: $id) { seasons { episodes { id number title season { number } } } } }`,
      { id: episode.contentId },
    );
    expect(result.errors).toBeUndefined();
    const episodes = result.data.content.seasons.flatMap((season: { episodes: unknown[] }) => season.episodes);
    expect(episodes).toContainEqual({ id: episode.id, number: episode.number, title: episode.title, season: { number: 2 } });
  });

  it("editing: FORBIDDEN for a user, allowed for staff, CONFLICT on a stale version", async () => {
    const input = { title: "Gateway Premiere", type: "MOVIE", releaseYear: 2026, maturityRating: "G", durationMinutes: 80 };
    const create = `mutation($input: CreateContentInput!) { createContent(input: $input) { id version } }`;
    expect(code(await supergraph.gql(create, { input }, { token: tokens.alice }))).toEqual(["FORBIDDEN"]);
    const created = await supergraph.gql(create, { input }, { token: tokens.staff });
    expect(created.errors).toBeUndefined();
    const { id } = created.data.createContent;
    const update = `mutation($id: ID!, $input: UpdateContentInput!) { updateContent(id: $id, input: $input) { title version } }`;
    const first = await supergraph.gql(update, { id, input: { expectedVersion: 1, title: "Gateway Premiere II" } }, { token: tokens.staff });
    expect(first.data.updateContent).toEqual({ title: "Gateway Premiere II", version: 2 });
    const stale = await supergraph.gql(update, { id, input: { expectedVersion: 1, title: "Lost" } }, { token: tokens.staff });
    expect(code(stale)).toEqual(["CONFLICT"]);
  });
});
