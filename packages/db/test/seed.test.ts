import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContentType, MaturityRating, SubscriptionStatus, UserRole, type PrismaClient } from "../src/index.ts";
import { verifyPassword } from "../src/password.ts";
import { DEMO_PASSWORD, generateTitle, seed, stableUuid, type SeedSummary } from "../src/seed/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/index.ts";

/** Row counts of every table the seed writes, read from the database. */
async function tableCounts(db: PrismaClient): Promise<Record<string, number>> {
  const counts = await Promise.all([
    db.plan.count(),
    db.content.count(),
    db.season.count(),
    db.episode.count(),
    db.castMember.count(),
    db.crewMember.count(),
    db.videoFile.count(),
    db.subtitleFile.count(),
    db.user.count(),
    db.userSettings.count(),
    db.profile.count(),
    db.profileSettings.count(),
    db.device.count(),
    db.subscription.count(),
    db.invoice.count(),
    db.paymentMethod.count(),
    db.watchHistory.count(),
    db.contentViewer.count(),
    db.rating.count(),
    db.review.count(),
    db.watchlist.count(),
    db.contentAnalytics.count(),
    db.contentDailyViews.count(),
  ]);
  const names = [
    "plans", "contents", "seasons", "episodes", "castMembers", "crewMembers", "videoFiles", "subtitleFiles", "users",
    "userSettings", "profiles", "profileSettings", "devices", "subscriptions", "invoices", "paymentMethods",
    "watchHistory", "contentViewers", "ratings", "reviews", "watchlist", "contentAnalytics", "contentDailyViews",
  ];
  return Object.fromEntries(names.map((name, index) => [name, counts[index] ?? -1]));
}

describe("seed", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let first: SeedSummary;
  let second: SeedSummary;
  let countsAfterFirst: Record<string, number>;
  let countsAfterSecond: Record<string, number>;
  let aliceHashAfterFirst: string | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    const now = new Date();
    first = await seed(db, { now });
    countsAfterFirst = await tableCounts(db);
    aliceHashAfterFirst = (await db.user.findUnique({ where: { email: "alice@watchflixx.dev" } }))?.passwordHash;
    second = await seed(db, { now });
    countsAfterSecond = await tableCounts(db);
  });

  afterAll(async () => {
    await database?.drop();
  });

  it("leaves the same rows when run twice", async () => {
    expect(countsAfterSecond).toEqual(countsAfterFirst);
    expect(first.catalogRowsInserted).toBeGreaterThan(0);
    expect(second.catalogRowsInserted).toBe(0);
    expect(countsAfterSecond.contents).toBe(first.titles);
    expect(countsAfterSecond.episodes).toBe(first.episodes);
    expect(countsAfterSecond.videoFiles).toBe(first.videoFiles);
    expect(countsAfterSecond.subtitleFiles).toBe(first.subtitleFiles);
    // The demo password still verifies, so the stored hash was kept rather than re-salted.
    const alice = await db.user.findUnique({ where: { email: "alice@watchflixx.dev" } });
    expect(alice?.passwordHash).toBe(aliceHashAfterFirst);
  });

  it("creates at least 500 titles of every type by default", async () => {
    expect(await db.content.count()).toBeGreaterThanOrEqual(500);
    const byType = await db.content.groupBy({ by: ["type"], _count: { _all: true } });
    const types = Object.fromEntries(byType.map((row) => [row.type, row._count._all]));
    for (const type of Object.values(ContentType)) expect(types[type] ?? 0).toBeGreaterThan(0);
    expect(await db.content.count({ where: { publishedAt: null } })).toBe(0);
    expect(await db.content.count({ where: { rentalPriceCents: { not: null }, rentalCurrency: "USD" } })).toBeGreaterThan(0);
  });

  it("covers every maturity rating, with plenty for kids", async () => {
    const byRating = await db.content.groupBy({ by: ["maturityRating"], _count: { _all: true } });
    const ratings = Object.fromEntries(byRating.map((row) => [row.maturityRating, row._count._all]));
    expect(Object.keys(ratings).sort()).toEqual(Object.values(MaturityRating).sort());
    expect((ratings.G ?? 0) + (ratings.PG ?? 0)).toBeGreaterThanOrEqual(100);
    expect(ratings.NC17 ?? 0).toBeGreaterThan(0);
  });

  it("writes ids derived from stable keys and the generator's values", async () => {
    const expected = generateTitle(42);
    const row = await db.content.findUnique({ where: { id: stableUuid("content:42") } });
    expect(row?.title).toBe(expected.content.title);
    expect(row?.genres).toEqual(expected.content.genres);
    expect(row?.maturityRating).toBe(expected.content.maturityRating);
    expect(row?.publishedAt?.toISOString()).toBe(expected.content.publishedAt.toISOString());
    const searchable = await db.$queryRawUnsafe<{ missing: bigint }[]>(
      "SELECT count(*) AS missing FROM contents WHERE search_vector IS NULL",
    );
    expect(Number(searchable[0]?.missing)).toBe(0);
  });

  it("gives series 1-4 seasons of 4-10 episodes, each with SD/HD/UHD renditions", async () => {
    const series = await db.content.findFirst({
      where: { type: ContentType.SERIES },
      include: { seasons: { include: { _count: { select: { episodes: true } } } } },
      orderBy: { id: "asc" },
    });
    expect(series).not.toBeNull();
    const seasons = series?.seasons ?? [];
    expect(seasons.length).toBeGreaterThanOrEqual(1);
    expect(seasons.length).toBeLessThanOrEqual(4);
    for (const season of seasons) {
      expect(season._count.episodes).toBeGreaterThanOrEqual(4);
      expect(season._count.episodes).toBeLessThanOrEqual(10);
    }
    const episode = await db.episode.findFirst({ where: { contentId: series?.id }, include: { videoFiles: true } });
    expect(episode?.videoFiles.map((file) => file.quality).sort()).toEqual(["HD", "SD", "UHD"]);
  });

  it("creates the three plans", async () => {
    const plans = await db.plan.findMany({ orderBy: { priceCents: "asc" } });
    expect(plans.map((plan) => [plan.code, plan.priceCents, plan.currency, plan.maxStreams, plan.maxQuality])).toEqual([
      ["basic", 799, "USD", 1, "SD"],
      ["standard", 1299, "USD", 2, "HD"],
      ["premium", 1799, "USD", 4, "UHD"],
    ]);
  });

  it("creates alice with a kids profile and an active standard subscription, bob without one", async () => {
    const alice = await db.user.findUnique({
      where: { email: "alice@watchflixx.dev" },
      include: { profiles: { orderBy: { name: "asc" } }, subscriptions: { include: { plan: true } }, settings: true },
    });
    expect(alice?.role).toBe(UserRole.USER);
    expect(alice?.settings).not.toBeNull();
    expect(alice?.profiles.map((profile) => [profile.name, profile.isKids, profile.maturityRating])).toEqual([
      ["Alice", false, "NC17"],
      ["Kids", true, "PG"],
    ]);
    expect(alice?.subscriptions.map((sub) => [sub.status, sub.provider, sub.plan.code])).toEqual([
      [SubscriptionStatus.ACTIVE, "LOCAL", "standard"],
    ]);
    const subscription = alice?.subscriptions[0];
    const now = Date.now();
    expect(subscription?.currentPeriodStart.getTime()).toBeLessThanOrEqual(now);
    expect(subscription?.currentPeriodEnd.getTime()).toBeGreaterThan(now);

    const kidsProfileId = alice?.profiles.find((profile) => profile.isKids)?.id;
    const kidsHistory = await db.watchHistory.findMany({ where: { profileId: kidsProfileId }, include: { content: true } });
    expect(kidsHistory.length).toBeGreaterThan(0);
    for (const entry of kidsHistory) expect(["G", "PG"]).toContain(entry.content.maturityRating);

    const bob = await db.user.findUnique({ where: { email: "bob@watchflixx.dev" }, include: { subscriptions: true } });
    expect(bob?.subscriptions).toEqual([]);
  });

  it("creates the staff user, and every demo password verifies", async () => {
    const staff = await db.user.findUnique({ where: { email: "staff@watchflixx.dev" } });
    expect(staff?.role).toBe(UserRole.STAFF);
    const users = await db.user.findMany({ orderBy: { email: "asc" } });
    expect(users.map((user) => user.email)).toEqual(["alice@watchflixx.dev", "bob@watchflixx.dev", "staff@watchflixx.dev"]);
    for (const user of users) {
      expect(user.passwordHash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
      expect(await verifyPassword(DEMO_PASSWORD, user.passwordHash)).toBe(true);
      expect(await verifyPassword("wrong-password", user.passwordHash)).toBe(false);
    }
  });

  it("gives trending recent daily views", async () => {
    const since = new Date(Date.now() - 8 * 24 * 60 * 60 * 1000);
    const recent = await db.contentDailyViews.aggregate({ where: { day: { gte: since } }, _sum: { views: true }, _count: true });
    expect(recent._count).toBeGreaterThan(0);
    expect(recent._sum.views ?? 0).toBeGreaterThan(0);
    expect(await db.contentAnalytics.count()).toBeGreaterThan(0);
  });
});
