// Watchlists, ratings and reviews, and the fields streaming adds to Content and Profile, resolved as the
// gateway resolves them (`_entities`), batched.
import { describe, expect, it } from "vitest";
import { codeOf } from "@watchflixx/testing";
import { film, newAccount, REPORT, sentStatements, START, useDemoWorld, subscribe, type Account } from "./support.ts";

const world = useDemoWorld();

const ADD = `mutation($profileId: ID!, $contentId: ID!) { addToWatchlist(profileId: $profileId, contentId: $contentId) { addedAt content { id } } }`;
const REMOVE = `mutation($profileId: ID!, $contentId: ID!) { removeFromWatchlist(profileId: $profileId, contentId: $contentId) }`;
const RATE = `mutation($input: RateContentInput!) { rateContent(input: $input) { id rating body content { id averageRating ratingCount } profile { id } } }`;
const PROFILE_WATCHLIST = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Profile { id watchlist { addedAt content { id } } } } }`;
const CONTENT_FIELDS = `query($r: [_Any!]!, $profileId: ID) {
  _entities(representations: $r) {
    ... on Content {
      id averageRating ratingCount
      reviews(first: 5) { id rating body createdAt profile { id } }
      progress(profileId: $profileId) { positionSeconds progressPercent completed updatedAt episode { id } }
    }
  }
}`;

const contentRefs = (ids: string[]) => ids.map((id) => ({ __typename: "Content", id }));

describe("watchlist", () => {
  it("adds idempotently, lists newest first, and removes idempotently", async () => {
    const [first, second] = [await film(world.harness.db, "PG13", 0), await film(world.harness.db, "PG13", 1)];
    const profileId = world.bob.profiles.Bob!;
    const added = await world.harness.server.gql(ADD, { profileId, contentId: first.id }, world.bob.identity);
    expect(added.errors).toBeUndefined();
    const again = await world.harness.server.gql(ADD, { profileId, contentId: first.id }, world.bob.identity);
    expect(again.data.addToWatchlist).toEqual(added.data.addToWatchlist);
    await world.harness.server.gql(ADD, { profileId, contentId: second.id }, world.bob.identity);
    expect(await world.harness.db.watchlist.count({ where: { profileId, contentId: first.id } })).toBe(1);

    const listed = await world.harness.server.gql(PROFILE_WATCHLIST, { r: [{ __typename: "Profile", id: profileId }] }, world.bob.identity);
    expect(listed.errors).toBeUndefined();
    const ids = listed.data._entities[0].watchlist.map((item: { content: { id: string } }) => item.content.id);
    expect(ids.slice(0, 2)).toEqual([second.id, first.id]);

    expect((await world.harness.server.gql(REMOVE, { profileId, contentId: first.id }, world.bob.identity)).data.removeFromWatchlist).toBe(true);
    expect((await world.harness.server.gql(REMOVE, { profileId, contentId: first.id }, world.bob.identity)).data.removeFromWatchlist).toBe(false);
    expect(await world.harness.db.watchlist.count({ where: { profileId, contentId: first.id } })).toBe(0);
  });

  it("never shows or changes another account's watchlist", async () => {
    const title = await film(world.harness.db, "PG13", 2);
    const aliceProfile = world.alice.profiles.Alice!;
    const seeded = await world.harness.db.watchlist.count({ where: { profileId: aliceProfile } });
    expect(seeded).toBeGreaterThan(0);

    const peek = await world.harness.server.gql(PROFILE_WATCHLIST, { r: [{ __typename: "Profile", id: aliceProfile }] }, world.bob.identity);
    expect(peek.data._entities[0].watchlist).toBeNull();
    expect(codeOf(peek)).toBe("NOT_FOUND");
    expect(codeOf(await world.harness.server.gql(ADD, { profileId: aliceProfile, contentId: title.id }, world.bob.identity))).toBe("NOT_FOUND");
    const someOfHers = await world.harness.db.watchlist.findFirstOrThrow({ where: { profileId: aliceProfile } });
    expect(codeOf(await world.harness.server.gql(REMOVE, { profileId: aliceProfile, contentId: someOfHers.contentId }, world.bob.identity))).toBe("NOT_FOUND");
    expect(await world.harness.db.watchlist.count({ where: { profileId: aliceProfile } })).toBe(seeded);
  });

  it("keeps a kids profile's watchlist within its maturity limit", async () => {
    const rated = await film(world.harness.db, "R", 0);
    const refused = await world.harness.server.gql(ADD, { profileId: world.alice.profiles.Kids, contentId: rated.id }, world.alice.identity);
    expect(codeOf(refused)).toBe("FORBIDDEN");
    // Even a row that got there some other way (the limit was lowered later) is not shown.
    await world.harness.db.watchlist.create({ data: { profileId: world.alice.profiles.Kids!, contentId: rated.id } });
    const listed = await world.harness.server.gql(PROFILE_WATCHLIST, { r: [{ __typename: "Profile", id: world.alice.profiles.Kids }] }, world.alice.identity);
    const ids = listed.data._entities[0].watchlist.map((item: { content: { id: string } }) => item.content.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids).not.toContain(rated.id);
  });
});

describe("rateContent", () => {
  it("keeps one rating per profile and title, replaces it when rated again, and updates the average", async () => {
    const title = await film(world.harness.db, "PG13", 3);
    const rate = (account: Account, profileId: string, rating: number, body?: string | null) =>
      world.harness.server.gql(RATE, { input: { profileId, contentId: title.id, rating, ...(body === undefined ? {} : { body }) } }, account.identity);

    const unrated = await world.harness.server.gql(CONTENT_FIELDS, { r: contentRefs([title.id]) });
    expect(unrated.data._entities[0]).toMatchObject({ averageRating: null, ratingCount: 0, reviews: [], progress: null });

    const first = await rate(world.alice, world.alice.profiles.Alice!, 4, "  Loved the second act.  ");
    expect(first.errors).toBeUndefined();
    expect(first.data.rateContent).toMatchObject({ rating: 4, body: "Loved the second act.", content: { id: title.id, averageRating: 4, ratingCount: 1 } });

    const byBob = await rate(world.bob, world.bob.profiles.Bob!, 1);
    expect(byBob.data.rateContent).toMatchObject({ rating: 1, body: null, content: { averageRating: 2.5, ratingCount: 2 } });

    const edited = await rate(world.alice, world.alice.profiles.Alice!, 5, "Even better the second time.");
    expect(edited.data.rateContent.id).toBe(first.data.rateContent.id);
    expect(edited.data.rateContent).toMatchObject({ rating: 5, body: "Even better the second time.", content: { averageRating: 3, ratingCount: 2 } });
    expect(await world.harness.db.rating.count({ where: { contentId: title.id } })).toBe(2);

    const details = await world.harness.server.gql(CONTENT_FIELDS, { r: contentRefs([title.id]) });
    expect(details.data._entities[0].reviews).toEqual([
      expect.objectContaining({ rating: 5, body: "Even better the second time.", profile: { id: world.alice.profiles.Alice } }),
    ]);

    // Rated again without a review: the review goes, the rating stays.
    const bare = await rate(world.alice, world.alice.profiles.Alice!, 3);
    expect(bare.data.rateContent).toMatchObject({ rating: 3, body: null, content: { averageRating: 2, ratingCount: 2 } });
    expect(await world.harness.db.review.count({ where: { contentId: title.id } })).toBe(0);

    const events = await world.harness.db.serviceEvent.findMany({ where: { eventType: "ContentRated", aggregateId: title.id } });
    expect(events).toHaveLength(4);
  });

  it("refuses a rating outside 1-5, another account's profile, and a title above the profile's limit", async () => {
    const title = await film(world.harness.db, "R", 1);
    for (const rating of [0, 6]) {
      const result = await world.harness.server.gql(RATE, { input: { profileId: world.alice.profiles.Alice, contentId: title.id, rating } }, world.alice.identity);
      expect(codeOf(result)).toBe("BAD_USER_INPUT");
    }
    const tooLong = await world.harness.server.gql(
      RATE,
      { input: { profileId: world.alice.profiles.Alice, contentId: title.id, rating: 3, body: "x".repeat(2001) } },
      world.alice.identity,
    );
    expect(codeOf(tooLong)).toBe("BAD_USER_INPUT");
    const stranger = await world.harness.server.gql(RATE, { input: { profileId: world.alice.profiles.Alice, contentId: title.id, rating: 3 } }, world.bob.identity);
    expect(codeOf(stranger)).toBe("NOT_FOUND");
    const kids = await world.harness.server.gql(RATE, { input: { profileId: world.alice.profiles.Kids, contentId: title.id, rating: 3 } }, world.alice.identity);
    expect(codeOf(kids)).toBe("FORBIDDEN");
    const anonymous = await world.harness.server.gql(RATE, { input: { profileId: world.alice.profiles.Alice, contentId: title.id, rating: 3 } });
    expect(codeOf(anonymous)).toBe("UNAUTHENTICATED");
    expect(await world.harness.db.rating.count({ where: { contentId: title.id } })).toBe(0);
  });
});

describe("Content fields", () => {
  it("answers progress only for the caller's own profile, and null without one or when never played", async () => {
    const gina = await newAccount(world.harness.db, "Gina");
    await subscribe(world.harness.db, gina.userId, "standard");
    const [played, untouched] = [await film(world.harness.db, "PG", 0), await film(world.harness.db, "PG", 1)];
    const session = await world.harness.server.gql(START, { input: { profileId: gina.profileId, contentId: played.id } }, gina.identity);
    await world.harness.server.gql(REPORT, { input: { sessionId: session.data.startPlayback.id, positionSeconds: 120, event: "PAUSE" } }, gina.identity);

    const mine = await world.harness.server.gql(CONTENT_FIELDS, { r: contentRefs([played.id, untouched.id]), profileId: gina.profileId }, gina.identity);
    expect(mine.errors).toBeUndefined();
    expect(mine.data._entities[0].progress).toMatchObject({ positionSeconds: 120, completed: false, episode: null });
    expect(mine.data._entities[1].progress).toBeNull();

    const noProfile = await world.harness.server.gql(CONTENT_FIELDS, { r: contentRefs([played.id]) }, gina.identity);
    expect(noProfile.data._entities[0].progress).toBeNull();

    const stranger = await world.harness.server.gql(CONTENT_FIELDS, { r: contentRefs([played.id]), profileId: gina.profileId }, world.alice.identity);
    expect(stranger.data._entities[0].progress).toBeNull();
    expect(codeOf(stranger)).toBe("NOT_FOUND");
    expect(stranger.data._entities[0].ratingCount).toBe(0);
  });

  it("resolves ratings, reviews and progress of many titles with a fixed number of SQL statements", async () => {
    const titles = await world.harness.db.content.findMany({ orderBy: { id: "asc" }, take: 20, select: { id: true } });
    const ids = titles.map((title) => title.id);
    const seededRatings = await world.harness.db.rating.findMany({ select: { contentId: true } });
    const measure = async (count: number) => {
      world.harness.counting.reset();
      const chosen = [...new Set([...seededRatings.map((rating) => rating.contentId), ...ids])].slice(0, count);
      const result = await world.harness.server.gql(CONTENT_FIELDS, { r: contentRefs(chosen), profileId: world.alice.profiles.Alice }, world.alice.identity);
      expect(result.errors).toBeUndefined();
      expect(result.data._entities).toHaveLength(count);
      return { statements: world.harness.counting.statements().length, result };
    };
    const one = await measure(1);
    const twenty = await measure(20);
    // The profile check, the rating aggregates with the reviews, and progress: one statement each, however many titles.
    expect(twenty.statements).toBe(one.statements);
    expect(twenty.statements).toBeLessThanOrEqual(3);

    const rated = twenty.result.data._entities.filter((content: { ratingCount: number }) => content.ratingCount > 0);
    expect(rated.length).toBeGreaterThan(0);
    for (const content of rated) expect(content.averageRating).toBeGreaterThanOrEqual(1);
    expect(twenty.result.data._entities.some((content: { progress: unknown }) => content.progress !== null)).toBe(true);
    expect(twenty.result.data._entities.every((content: { reviews: unknown[] }) => content.reviews.length <= 5)).toBe(true);
  });

  it("reads rating aggregates and reviews together, as the database has them, for any mix of page sizes", async () => {
    const titles = [await film(world.harness.db, "G", 4), await film(world.harness.db, "G", 5)];
    const reviewers = [world.alice.profiles.Alice!, world.alice.profiles.Kids!, world.bob.profiles.Bob!];
    for (const [t, title] of titles.entries()) {
      for (const [p, profileId] of reviewers.entries()) {
        const rating = await world.harness.db.rating.create({ data: { profileId, contentId: title.id, rating: 1 + ((t + p * 2) % 5) } });
        await world.harness.db.review.create({
          data: { ratingId: rating.id, profileId, contentId: title.id, body: `review ${p}`, createdAt: new Date(Date.UTC(2026, 0, 1 + p)) },
        });
      }
    }
    const ids = titles.map((title) => title.id);
    world.harness.counting.reset();
    const result = await world.harness.server.gql(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Content { id averageRating ratingCount newest: reviews(first: 1) { id } page: reviews(first: 3) { id } } } }`,
      { r: contentRefs(ids) },
    );
    expect(result.errors).toBeUndefined();
    // One statement per page size; the aggregates come with the first.
    expect(world.harness.counting.statements()).toHaveLength(2);
    for (const [index, id] of ids.entries()) {
      const ratings = await world.harness.db.rating.findMany({ where: { contentId: id }, select: { rating: true } });
      const reviews = await world.harness.db.review.findMany({ where: { contentId: id }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 3, select: { id: true } });
      const average = Math.round((ratings.reduce((sum, row) => sum + row.rating, 0) / ratings.length) * 100) / 100;
      expect(result.data._entities[index]).toEqual({
        id,
        averageRating: average,
        ratingCount: ratings.length,
        newest: reviews.slice(0, 1),
        page: reviews,
      });
    }
  });

  it("limits reviews to first (at most 100) and the watchlists of several profiles to one statement", async () => {
    const title = await film(world.harness.db, "G", 0);
    const tooMany = await world.harness.server.gql(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Content { reviews(first: 101) { id } } } }`, {
      r: contentRefs([title.id]),
    });
    expect(codeOf(tooMany)).toBe("BAD_USER_INPUT");

    world.harness.counting.reset();
    const both = await world.harness.server.gql(
      PROFILE_WATCHLIST,
      { r: [world.alice.profiles.Alice, world.alice.profiles.Kids].map((id) => ({ __typename: "Profile", id })) },
      world.alice.identity,
    );
    expect(both.errors).toBeUndefined();
    expect(both.data._entities.every((profile: { watchlist: unknown[] }) => profile.watchlist.length > 0)).toBe(true);
    // Two profile checks (one per profile) and one watchlist query.
    expect(sentStatements(world.harness.counting).filter((sql) => sql.includes("watchlist"))).toHaveLength(1);
  });
});
