// Staff editing: permissions, validation, optimistic locking, publication, and the ServiceEvents written with
// each change.
import { describe, expect, it } from "vitest";
import { codesOf } from "@watchflixx/testing";
import { useSeededContent } from "./support.ts";

const CREATE_CONTENT = /* GraphQL */ `
  mutation($input: CreateContentInput!) {
    createContent(input: $input) { id title type genres durationMinutes publishedAt version cast { name character } crew { name job } }
  }`;
const UPDATE_CONTENT = /* GraphQL */ `
  mutation($id: ID!, $input: UpdateContentInput!) {
    updateContent(id: $id, input: $input) { id title description genres durationMinutes posterUrl version cast { name character } }
  }`;
const PUBLISH = /* GraphQL */ `mutation($id: ID!) { publishContent(id: $id) { id publishedAt version } }`;
const CREATE_SEASON = /* GraphQL */ `
  mutation($input: CreateSeasonInput!) { createSeason(input: $input) { id number title version content { id } } }`;
const UPDATE_SEASON = /* GraphQL */ `
  mutation($id: ID!, $input: UpdateSeasonInput!) { updateSeason(id: $id, input: $input) { id number title version } }`;
const CREATE_EPISODE = /* GraphQL */ `
  mutation($input: CreateEpisodeInput!) {
    createEpisode(input: $input) { id number title durationMinutes version season { id number } content { id } }
  }`;
const UPDATE_EPISODE = /* GraphQL */ `
  mutation($id: ID!, $input: UpdateEpisodeInput!) { updateEpisode(id: $id, input: $input) { id title durationMinutes version } }`;
const CONTENT = /* GraphQL */ `
  query($id: ID!) { content(id: $id) { id title seasons { number episodes { number title } } } }`;

const film = {
  title: "  The Glass Orchard ",
  description: "Two sisters and an orchard of glass trees.",
  type: "MOVIE",
  genres: ["Drama", "Fantasy", "drama"],
  releaseYear: 2025,
  maturityRating: "PG13",
  durationMinutes: 118,
  posterUrl: "https://cdn.watchflixx.example/posters/glass-orchard.jpg",
  cast: [
    { name: "Ada Lind", character: "June" },
    { name: "Mara Quist", character: "Ivy" },
  ],
  crew: [{ name: "Oskar Bel", job: "Director", department: "Directing" }],
};

describe("content subgraph: staff editing", () => {
  const seeded = useSeededContent();

  const events = (aggregateId: string) =>
    seeded.database.db.serviceEvent.findMany({ where: { service: "content", aggregateId }, orderBy: { id: "asc" } });

  it("refuses every editing mutation to non-staff callers (FORBIDDEN) and to anonymous ones (UNAUTHENTICATED)", async () => {
    const someTitle = await seeded.database.db.content.findFirstOrThrow({ where: { type: "SERIES" }, include: { seasons: { include: { episodes: true } } } });
    const season = someTitle.seasons[0];
    const episode = season?.episodes[0];
    if (!season || !episode) throw new Error("the seed has a series without episodes");
    const attempts: [string, Record<string, unknown>][] = [
      [CREATE_CONTENT, { input: film }],
      [UPDATE_CONTENT, { id: someTitle.id, input: { expectedVersion: someTitle.version, title: "Hijacked" } }],
      [PUBLISH, { id: someTitle.id }],
      [CREATE_SEASON, { input: { contentId: someTitle.id, number: 99 } }],
      [UPDATE_SEASON, { id: season.id, input: { expectedVersion: season.version, title: "Hijacked" } }],
      [CREATE_EPISODE, { input: { seasonId: season.id, number: 999, title: "Hijacked", durationMinutes: 10 } }],
      [UPDATE_EPISODE, { id: episode.id, input: { expectedVersion: episode.version, title: "Hijacked" } }],
    ];
    const contentsBefore = await seeded.database.db.content.count();
    for (const [mutation, variables] of attempts) {
      const user = await seeded.server.gql(mutation, variables, seeded.accounts.alice);
      expect(user.data).toBeNull();
      expect(codesOf(user)).toEqual(["FORBIDDEN"]);
      expect(codesOf(await seeded.server.gql(mutation, variables))).toEqual(["UNAUTHENTICATED"]);
    }
    expect(await seeded.database.db.content.count()).toBe(contentsBefore);
    const unchanged = await seeded.database.db.content.findUniqueOrThrow({ where: { id: someTitle.id }, include: { seasons: true } });
    expect(unchanged.title).toBe(someTitle.title);
    expect(unchanged.seasons).toHaveLength(someTitle.seasons.length);
    expect((await seeded.database.db.episode.findUniqueOrThrow({ where: { id: episode.id } })).title).toBe(episode.title);
  });

  it("creates an unpublished title with its credits; publishing makes it visible and records ContentPublished", async () => {
    const created = await seeded.server.gql(CREATE_CONTENT, { input: film }, seeded.accounts.staff);
    expect(created.errors).toBeUndefined();
    const content = created.data.createContent;
    expect(content).toMatchObject({
      title: "The Glass Orchard",
      type: "MOVIE",
      genres: ["Drama", "Fantasy"],
      durationMinutes: 118,
      publishedAt: null,
      version: 1,
      cast: film.cast,
      crew: [{ name: "Oskar Bel", job: "Director" }],
    });
    expect(codesOf(await seeded.server.gql(CONTENT, { id: content.id }, seeded.accounts.alice))).toEqual(["NOT_FOUND"]);
    expect(await events(content.id)).toEqual([]);

    const published = await seeded.server.gql(PUBLISH, { id: content.id }, seeded.accounts.staff);
    expect(published.errors).toBeUndefined();
    expect(published.data.publishContent.publishedAt).not.toBeNull();
    expect(published.data.publishContent.version).toBe(2);
    const visible = await seeded.server.gql(CONTENT, { id: content.id }, seeded.accounts.alice);
    expect(visible.data.content.title).toBe("The Glass Orchard");

    // Publishing again changes nothing and announces nothing.
    const again = await seeded.server.gql(PUBLISH, { id: content.id }, seeded.accounts.staff);
    expect(again.data.publishContent).toEqual(published.data.publishContent);
    const recorded = await events(content.id);
    expect(recorded.map((event) => event.eventType)).toEqual(["ContentPublished"]);
    expect(recorded[0]?.payload).toMatchObject({ contentId: content.id, title: "The Glass Orchard", maturityRating: "PG13" });
    // Search finds it now that it is published (the trigger filled its search vector).
    const found = await seeded.server.gql(`query { search(query: "glass orchard") { id } }`);
    expect(found.data.search.map((hit: { id: string }) => hit.id)).toContain(content.id);
  });

  it("validates input: BAD_USER_INPUT naming the field, nothing stored", async () => {
    const before = await seeded.database.db.content.count();
    const cases: [Record<string, unknown>, string][] = [
      [{ ...film, title: "   " }, "title"],
      [{ ...film, type: "SERIES" }, "durationMinutes"], // a series has no duration of its own
      [{ ...film, durationMinutes: 0 }, "durationMinutes"],
      [{ ...film, releaseYear: 1492 }, "releaseYear"],
      [{ ...film, posterUrl: "javascript:alert(1)" }, "posterUrl"],
      [{ ...film, genres: Array.from({ length: 11 }, (_, i) => `Genre ${i}`) }, "genres"],
      [{ ...film, rentalPriceCents: -5 }, "rentalPriceCents"],
      [{ ...film, rentalPriceCents: 499, rentalCurrency: "dollars" }, "rentalCurrency"],
      [{ ...film, cast: [{ name: "" }] }, "cast.name"],
    ];
    for (const [input, field] of cases) {
      const result = await seeded.server.gql(CREATE_CONTENT, { input }, seeded.accounts.staff);
      expect(codesOf(result)).toEqual(["BAD_USER_INPUT"]);
      expect(result.errors?.[0]?.extensions?.field).toBe(field);
    }
    expect(await seeded.database.db.content.count()).toBe(before);
  });

  it("updates with the current version, refuses a stale one with CONFLICT and changes nothing", async () => {
    const { data } = await seeded.server.gql(CREATE_CONTENT, { input: film }, seeded.accounts.staff);
    const id = data.createContent.id as string;
    await seeded.server.gql(PUBLISH, { id }, seeded.accounts.staff); // version 2
    const updated = await seeded.server.gql(
      UPDATE_CONTENT,
      {
        id,
        input: {
          expectedVersion: 2,
          title: "The Glass Orchard (Director's Cut)",
          durationMinutes: 131,
          posterUrl: null,
          cast: [{ name: "Mara Quist", character: "Ivy" }],
        },
      },
      seeded.accounts.staff,
    );
    expect(updated.errors).toBeUndefined();
    expect(updated.data.updateContent).toMatchObject({
      title: "The Glass Orchard (Director's Cut)",
      description: film.description, // omitted: kept
      genres: ["Drama", "Fantasy"],
      durationMinutes: 131,
      posterUrl: null, // null: cleared
      version: 3,
      cast: [{ name: "Mara Quist", character: "Ivy" }],
    });
    const stale = await seeded.server.gql(UPDATE_CONTENT, { id, input: { expectedVersion: 2, title: "Lost Update" } }, seeded.accounts.staff);
    expect(stale.data).toBeNull();
    expect(codesOf(stale)).toEqual(["CONFLICT"]);
    const stored = await seeded.database.db.content.findUniqueOrThrow({ where: { id } });
    expect(stored.title).toBe("The Glass Orchard (Director's Cut)");
    expect(stored.version).toBe(3);

    const notNullable = await seeded.server.gql(UPDATE_CONTENT, { id, input: { expectedVersion: 3, title: null } }, seeded.accounts.staff);
    expect(codesOf(notNullable)).toEqual(["BAD_USER_INPUT"]);
    const unknown = await seeded.server.gql(UPDATE_CONTENT, { id: "nope", input: { expectedVersion: 1 } }, seeded.accounts.staff);
    expect(codesOf(unknown)).toEqual(["NOT_FOUND"]);

    const recorded = await events(id);
    expect(recorded.map((event) => event.eventType)).toEqual(["ContentPublished", "ContentUpdated"]);
    expect(recorded[1]?.payload).toMatchObject({
      contentId: id,
      version: 3,
      changed: expect.arrayContaining(["title", "durationMinutes", "posterUrl", "cast"]),
    });
  });

  it("lets exactly one of two concurrent edits from the same version win", async () => {
    const { data } = await seeded.server.gql(CREATE_CONTENT, { input: film }, seeded.accounts.staff);
    const id = data.createContent.id as string;
    const results = await Promise.all(
      ["Edit A", "Edit B", "Edit C"].map((title) => seeded.server.gql(UPDATE_CONTENT, { id, input: { expectedVersion: 1, title } }, seeded.accounts.staff)),
    );
    const winners = results.filter((result) => !result.errors);
    expect(winners).toHaveLength(1);
    expect(results.flatMap(codesOf).sort()).toEqual(["CONFLICT", "CONFLICT"]);
    const stored = await seeded.database.db.content.findUniqueOrThrow({ where: { id } });
    expect(stored.title).toBe(winners[0]?.data.updateContent.title);
    expect(stored.version).toBe(2);
  });

  it("builds a series: seasons only for series, numbers unique, episodes announced with EpisodeAdded once published", async () => {
    const { data } = await seeded.server.gql(
      CREATE_CONTENT,
      { input: { ...film, title: "Harbour Lights", type: "SERIES", durationMinutes: null } },
      seeded.accounts.staff,
    );
    const seriesId = data.createContent.id as string;

    const filmResult = await seeded.server.gql(CREATE_CONTENT, { input: film }, seeded.accounts.staff);
    const onFilm = await seeded.server.gql(CREATE_SEASON, { input: { contentId: filmResult.data.createContent.id, number: 1 } }, seeded.accounts.staff);
    expect(codesOf(onFilm)).toEqual(["BAD_USER_INPUT"]);
    const onNothing = await seeded.server.gql(CREATE_SEASON, { input: { contentId: "nope", number: 1 } }, seeded.accounts.staff);
    expect(codesOf(onNothing)).toEqual(["NOT_FOUND"]);

    const season = await seeded.server.gql(CREATE_SEASON, { input: { contentId: seriesId, number: 1, title: "Arrivals" } }, seeded.accounts.staff);
    expect(season.errors).toBeUndefined();
    expect(season.data.createSeason).toMatchObject({ number: 1, title: "Arrivals", version: 1, content: { id: seriesId } });
    const seasonId = season.data.createSeason.id as string;
    const duplicate = await seeded.server.gql(CREATE_SEASON, { input: { contentId: seriesId, number: 1 } }, seeded.accounts.staff);
    expect(codesOf(duplicate)).toEqual(["CONFLICT"]);
    expect(codesOf(await seeded.server.gql(CREATE_SEASON, { input: { contentId: seriesId, number: 0 } }, seeded.accounts.staff))).toEqual(["BAD_USER_INPUT"]);

    // Before publication, episodes are added quietly.
    const pilot = await seeded.server.gql(
      CREATE_EPISODE,
      { input: { seasonId, number: 1, title: "Pilot", durationMinutes: 52 } },
      seeded.accounts.staff,
    );
    expect(pilot.errors).toBeUndefined();
    expect(pilot.data.createEpisode).toMatchObject({ number: 1, title: "Pilot", season: { id: seasonId, number: 1 }, content: { id: seriesId } });
    expect(await events(seriesId)).toEqual([]);

    await seeded.server.gql(PUBLISH, { id: seriesId }, seeded.accounts.staff);
    const second = await seeded.server.gql(
      CREATE_EPISODE,
      { input: { seasonId, number: 2, title: "The Crossing", durationMinutes: 48, description: "Fog." } },
      seeded.accounts.staff,
    );
    expect(second.errors).toBeUndefined();
    const episodeId = second.data.createEpisode.id as string;
    const recorded = await events(seriesId);
    expect(recorded.map((event) => event.eventType)).toEqual(["ContentPublished", "EpisodeAdded"]);
    expect(recorded[1]?.payload).toEqual({
      contentId: seriesId,
      contentTitle: "Harbour Lights",
      seasonId,
      seasonNumber: 1,
      episodeId,
      episodeNumber: 2,
      episodeTitle: "The Crossing",
    });

    const clash = await seeded.server.gql(CREATE_EPISODE, { input: { seasonId, number: 2, title: "Again", durationMinutes: 40 } }, seeded.accounts.staff);
    expect(codesOf(clash)).toEqual(["CONFLICT"]);
    const badLength = await seeded.server.gql(CREATE_EPISODE, { input: { seasonId, number: 3, title: "Long", durationMinutes: 0 } }, seeded.accounts.staff);
    expect(codesOf(badLength)).toEqual(["BAD_USER_INPUT"]);
    expect(codesOf(await seeded.server.gql(CREATE_EPISODE, { input: { seasonId: "nope", number: 3, title: "X", durationMinutes: 5 } }, seeded.accounts.staff))).toEqual([
      "NOT_FOUND",
    ]);

    // Edits of seasons and episodes are version-checked too.
    const renamed = await seeded.server.gql(UPDATE_SEASON, { id: seasonId, input: { expectedVersion: 1, title: "Departures" } }, seeded.accounts.staff);
    expect(renamed.data.updateSeason).toMatchObject({ title: "Departures", version: 2 });
    expect(codesOf(await seeded.server.gql(UPDATE_SEASON, { id: seasonId, input: { expectedVersion: 1, title: "Stale" } }, seeded.accounts.staff))).toEqual([
      "CONFLICT",
    ]);
    const retitled = await seeded.server.gql(UPDATE_EPISODE, { id: episodeId, input: { expectedVersion: 1, title: "The Long Crossing" } }, seeded.accounts.staff);
    expect(retitled.data.updateEpisode).toMatchObject({ title: "The Long Crossing", durationMinutes: 48, version: 2 });
    expect(codesOf(await seeded.server.gql(UPDATE_EPISODE, { id: episodeId, input: { expectedVersion: 1, title: "Stale" } }, seeded.accounts.staff))).toEqual([
      "CONFLICT",
    ]);
    const renumberClash = await seeded.server.gql(UPDATE_EPISODE, { id: episodeId, input: { expectedVersion: 2, number: 1 } }, seeded.accounts.staff);
    expect(codesOf(renumberClash)).toEqual(["CONFLICT"]);

    // A series with seasons stays a series.
    const version = (await seeded.database.db.content.findUniqueOrThrow({ where: { id: seriesId } })).version;
    const toFilm = await seeded.server.gql(UPDATE_CONTENT, { id: seriesId, input: { expectedVersion: version, type: "MOVIE" } }, seeded.accounts.staff);
    expect(codesOf(toFilm)).toEqual(["BAD_USER_INPUT"]);

    const viewer = await seeded.server.gql(CONTENT, { id: seriesId }, seeded.accounts.bob);
    expect(viewer.data.content.seasons).toEqual([
      { number: 1, episodes: [{ number: 1, title: "Pilot" }, { number: 2, title: "The Long Crossing" }] },
    ]);
  });
});
