// Plans, demo accounts and the activity that makes the demo look lived-in (history, ratings, watchlist,
// analytics). Everything is upserted on its natural key, so a re-run resets the demo state instead of adding to it.
import type { PrismaClient } from "../generated/prisma/client.ts";
import {
  BillingInterval,
  ContentType,
  DeviceType,
  InvoiceStatus,
  MaturityRating,
  PaymentProvider,
  SubscriptionStatus,
  UserRole,
  VideoQuality,
} from "../generated/prisma/enums.ts";
import { hashPassword, verifyPassword } from "../password.ts";
import { CDN_BASE_URL, type GeneratedTitle, type Playable } from "./catalog.ts";
import { Random, stableUuid } from "./random.ts";

export const DEMO_PASSWORD = "watchflixx-demo";

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
/** When the demo accounts "signed up": fixed, so that re-seeding rewrites the same timestamps. */
const DEMO_SIGNUP = new Date(Date.UTC(2025, 0, 6, 9, 30));

// Activity (history, subscription period, daily views) hangs off `anchor`, the start of the current UTC day:
// it stays recent whenever the seed runs, and two runs on the same day write identical rows. Every upsert
// sets createdAt/updatedAt itself for the same reason (Prisma's @updatedAt would otherwise stamp "now").

export const PLANS = [
  { code: "basic", name: "Basic", priceCents: 799, maxStreams: 1, maxQuality: VideoQuality.SD },
  { code: "standard", name: "Standard", priceCents: 1299, maxStreams: 2, maxQuality: VideoQuality.HD },
  { code: "premium", name: "Premium", priceCents: 1799, maxStreams: 4, maxQuality: VideoQuality.UHD },
] as const;

type PlanCode = (typeof PLANS)[number]["code"];

export async function seedPlans(db: PrismaClient): Promise<Record<PlanCode, string>> {
  const ids: Partial<Record<PlanCode, string>> = {};
  for (const plan of PLANS) {
    const values = {
      name: plan.name,
      priceCents: plan.priceCents,
      currency: "USD",
      interval: BillingInterval.MONTH,
      maxStreams: plan.maxStreams,
      maxQuality: plan.maxQuality,
      active: true,
    };
    // Keyed by code, not id: the payment subgraph may have created the plan; its stripePriceId is left alone.
    const row = await db.plan.upsert({
      where: { code: plan.code },
      create: { id: stableUuid(`plan:${plan.code}`), code: plan.code, ...values },
      // A new version, like every write of a profile: the profile-access cache keeps only newer versions.
      update: { ...values, version: { increment: 1 } },
      select: { id: true },
    });
    ids[plan.code] = row.id;
  }
  return ids as Record<PlanCode, string>;
}

interface DemoProfile {
  name: string;
  isKids: boolean;
  maturityRating: MaturityRating;
  avatar: number;
  language: string;
  subtitleLanguage: string | null;
}

interface DemoUser {
  key: string;
  email: string;
  name: string;
  role: UserRole;
  language: string;
  profiles: DemoProfile[];
  devices: { key: string; name: string; type: DeviceType; lastSeenHoursAgo: number }[];
}

export const DEMO_USERS: readonly DemoUser[] = [
  {
    key: "alice",
    email: "alice@watchflixx.dev",
    name: "Alice Anderson",
    role: UserRole.USER,
    language: "en",
    profiles: [
      { name: "Alice", isKids: false, maturityRating: MaturityRating.NC17, avatar: 1, language: "en", subtitleLanguage: "en" },
      { name: "Kids", isKids: true, maturityRating: MaturityRating.PG, avatar: 7, language: "en", subtitleLanguage: null },
    ],
    devices: [
      { key: "laptop", name: "Alice's MacBook", type: DeviceType.WEB, lastSeenHoursAgo: 2 },
      { key: "tv", name: "Living Room TV", type: DeviceType.TV, lastSeenHoursAgo: 20 },
      { key: "phone", name: "Alice's iPhone", type: DeviceType.MOBILE, lastSeenHoursAgo: 5 },
    ],
  },
  {
    key: "bob",
    email: "bob@watchflixx.dev",
    name: "Bob Brennan",
    role: UserRole.USER,
    language: "en",
    profiles: [{ name: "Bob", isKids: false, maturityRating: MaturityRating.NC17, avatar: 3, language: "en", subtitleLanguage: null }],
    devices: [{ key: "web", name: "Bob's Laptop", type: DeviceType.WEB, lastSeenHoursAgo: 30 }],
  },
  {
    key: "staff",
    email: "staff@watchflixx.dev",
    name: "WatchFlixx Staff",
    role: UserRole.STAFF,
    language: "en",
    profiles: [{ name: "Staff", isKids: false, maturityRating: MaturityRating.NC17, avatar: 5, language: "en", subtitleLanguage: null }],
    devices: [{ key: "web", name: "Support Console", type: DeviceType.WEB, lastSeenHoursAgo: 1 }],
  },
];

export interface DemoSummary {
  users: number;
  profiles: number;
  devices: number;
  subscriptions: number;
  watchHistory: number;
  ratings: number;
  reviews: number;
  watchlist: number;
  contentAnalytics: number;
  contentDailyViews: number;
}

interface SeededUser {
  id: string;
  key: string;
  profiles: Map<string, string>;
}

async function upsertUser(db: PrismaClient, user: DemoUser, anchor: number): Promise<SeededUser> {
  const existing = await db.user.findUnique({ where: { email: user.email }, select: { id: true, passwordHash: true } });
  let userId: string;
  if (existing) {
    // Keep the stored hash when it still matches the demo password: a re-run then changes nothing.
    const passwordHash = (await verifyPassword(DEMO_PASSWORD, existing.passwordHash))
      ? existing.passwordHash
      : await hashPassword(DEMO_PASSWORD);
    await db.user.update({
      where: { id: existing.id },
      data: { name: user.name, role: user.role, passwordHash, updatedAt: DEMO_SIGNUP },
    });
    userId = existing.id;
  } else {
    const created = await db.user.create({
      data: {
        id: stableUuid(`user:${user.email}`),
        email: user.email,
        name: user.name,
        role: user.role,
        passwordHash: await hashPassword(DEMO_PASSWORD),
        createdAt: DEMO_SIGNUP,
        updatedAt: DEMO_SIGNUP,
      },
      select: { id: true },
    });
    userId = created.id;
  }

  await db.userSettings.upsert({
    where: { userId },
    create: { id: stableUuid(`user-settings:${user.email}`), userId, language: user.language, updatedAt: DEMO_SIGNUP },
    update: { language: user.language, updatedAt: DEMO_SIGNUP },
  });

  const profiles = new Map<string, string>();
  for (const profile of user.profiles) {
    const values = {
      isKids: profile.isKids,
      maturityRating: profile.maturityRating,
      avatarUrl: `${CDN_BASE_URL}/avatars/${profile.avatar}.png`,
      updatedAt: DEMO_SIGNUP,
    };
    const row = await db.profile.upsert({
      where: { userId_name: { userId, name: profile.name } },
      create: { id: stableUuid(`profile:${user.email}:${profile.name}`), userId, name: profile.name, createdAt: DEMO_SIGNUP, ...values },
      // A new version, like every write of a profile: the profile-access cache keeps only newer versions.
      update: { ...values, version: { increment: 1 } },
      select: { id: true },
    });
    profiles.set(profile.name, row.id);
    const settings = {
      language: profile.language,
      subtitleLanguage: profile.subtitleLanguage,
      autoplayNext: !profile.isKids,
      updatedAt: DEMO_SIGNUP,
    };
    await db.profileSettings.upsert({
      where: { profileId: row.id },
      create: { id: stableUuid(`profile-settings:${user.email}:${profile.name}`), profileId: row.id, ...settings },
      update: settings,
    });
  }

  for (const device of user.devices) {
    const id = stableUuid(`device:${user.email}:${device.key}`);
    const values = {
      userId,
      name: device.name,
      type: device.type,
      lastSeenAt: new Date(anchor - device.lastSeenHoursAgo * HOUR_MS),
      revokedAt: null,
    };
    await db.device.upsert({
      where: { id },
      create: { id, createdAt: DEMO_SIGNUP, ...values },
      update: values,
    });
  }

  return { id: userId, key: user.key, profiles };
}

function utcMidnight(ms: number): number {
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}

/** Same day of the month `months` later, clamped to the month's last day (Jan 31 + 1 month = Feb 28/29). */
function addUtcMonths(ms: number, months: number): number {
  const date = new Date(ms);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months + 1, 0)).getUTCDate();
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, Math.min(date.getUTCDate(), lastDay));
}

async function seedAliceBilling(db: PrismaClient, aliceId: string, standardPlanId: string, anchor: number): Promise<void> {
  // A current period that contains today whenever the seed runs.
  const periodStart = anchor - 3 * DAY_MS;
  const periodEnd = addUtcMonths(periodStart, 1);
  const subscriptionId = stableUuid("subscription:alice@watchflixx.dev");
  const subscription = {
    userId: aliceId,
    planId: standardPlanId,
    status: SubscriptionStatus.ACTIVE,
    provider: PaymentProvider.LOCAL,
    providerSubscriptionId: "local_sub_alice_standard",
    currentPeriodStart: new Date(periodStart),
    currentPeriodEnd: new Date(periodEnd),
    cancelAtPeriodEnd: false,
    canceledAt: null,
    trialEnd: null,
    updatedAt: new Date(periodStart),
  };
  await db.subscription.upsert({
    where: { id: subscriptionId },
    create: { id: subscriptionId, createdAt: DEMO_SIGNUP, ...subscription },
    update: subscription,
  });

  const paymentMethod = {
    userId: aliceId,
    provider: PaymentProvider.LOCAL,
    brand: "visa",
    last4: "4242",
    expMonth: 12,
    expYear: 2030,
    isDefault: true,
  };
  await db.paymentMethod.upsert({
    where: { providerPaymentMethodId: "local_pm_alice_visa" },
    create: {
      id: stableUuid("payment-method:alice@watchflixx.dev:visa"),
      providerPaymentMethodId: "local_pm_alice_visa",
      createdAt: DEMO_SIGNUP,
      ...paymentMethod,
    },
    update: paymentMethod,
  });

  const invoiceId = stableUuid("invoice:alice@watchflixx.dev:current");
  const invoice = {
    userId: aliceId,
    subscriptionId,
    amountCents: 1299,
    currency: "USD",
    status: InvoiceStatus.PAID,
    providerInvoiceId: "local_in_alice_standard_current",
    periodStart: new Date(periodStart),
    periodEnd: new Date(periodEnd),
    issuedAt: new Date(periodStart),
    paidAt: new Date(periodStart),
  };
  await db.invoice.upsert({ where: { id: invoiceId }, create: { id: invoiceId, ...invoice }, update: invoice });
}

const KIDS_RATINGS: ReadonlySet<MaturityRating> = new Set([MaturityRating.G, MaturityRating.PG]);

interface ActivityPlan {
  history: { title: GeneratedTitle; playable: Playable; progress: number; hoursAgo: number }[];
  ratings: { title: GeneratedTitle; stars: number; review: string | null }[];
  watchlist: GeneratedTitle[];
}

const REVIEW_LINES: Record<number, readonly string[]> = {
  5: ["An instant favourite. I'd watch it again tomorrow.", "Beautifully made, every scene earns its place."],
  4: ["Really enjoyable, with a couple of slow stretches.", "Great performances; the ending stayed with me."],
  3: ["Good enough for a quiet evening.", "Some great moments, but uneven overall."],
  2: ["Pretty to look at, hard to care about.", "Started strong, lost its way halfway through."],
  1: ["Not for me at all.", "I gave up after the first act."],
};

/** Picks what a profile has watched, rated and saved, from the titles it is allowed to see. */
function planActivity(
  key: string,
  titles: readonly GeneratedTitle[],
  counts: { films: number; series: number; ratings: number; reviews: number; watchlist: number },
): ActivityPlan {
  const random = new Random(`activity:${key}`);
  const films = titles.filter((title) => title.content.type !== ContentType.SERIES);
  const series = titles.filter((title) => title.content.type === ContentType.SERIES);
  const watchedFilms = random.sample(films, counts.films);
  const watchedSeries = random.sample(series, counts.series);
  const history: ActivityPlan["history"] = [];
  let hoursAgo = 1;
  for (const title of watchedFilms) {
    const playable = title.playables[0];
    if (!playable) continue;
    history.push({ title, playable, progress: random.pick([0.12, 0.35, 0.6, 0.83, 1, 1]), hoursAgo });
    hoursAgo += random.int(3, 40);
  }
  for (const title of watchedSeries) {
    // The first few episodes finished, the next one in progress: "continue watching" has something to resume.
    const finished = Math.min(random.int(1, 3), title.playables.length - 1);
    title.playables.slice(0, finished + 1).forEach((playable, position) => {
      history.push({ title, playable, progress: position < finished ? 1 : 0.45, hoursAgo: hoursAgo + (finished - position) * 20 });
    });
    hoursAgo += random.int(3, 40);
  }

  const watched = [...watchedFilms, ...watchedSeries];
  const rated = [...watched, ...random.sample(titles.filter((title) => !watched.includes(title)), counts.ratings)].slice(
    0,
    counts.ratings,
  );
  const ratings = rated.map((title, position) => {
    const stars = random.weighted({ "5": 30, "4": 35, "3": 20, "2": 10, "1": 5 });
    const lines = REVIEW_LINES[Number(stars)] ?? [];
    return { title, stars: Number(stars), review: position < counts.reviews && lines.length > 0 ? random.pick(lines) : null };
  });
  const watchlist = random.sample(
    titles.filter((title) => !watched.includes(title)),
    counts.watchlist,
  );
  return { history, ratings, watchlist };
}

async function seedActivity(db: PrismaClient, profileId: string, key: string, plan: ActivityPlan, anchor: number): Promise<{
  watchHistory: number;
  ratings: number;
  reviews: number;
  watchlist: number;
}> {
  for (const entry of plan.history) {
    const { playable } = entry;
    const playableId = playable.episodeId ?? playable.contentId;
    const completed = entry.progress >= 1;
    const positionSeconds = Math.round(playable.durationSeconds * Math.min(entry.progress, 1));
    const values = {
      contentId: playable.contentId,
      episodeId: playable.episodeId,
      positionSeconds,
      durationSeconds: playable.durationSeconds,
      progressPercent: Math.round(Math.min(entry.progress, 1) * 1000) / 10,
      completed,
      updatedAt: new Date(anchor - entry.hoursAgo * HOUR_MS),
    };
    await db.watchHistory.upsert({
      where: { profileId_playableId: { profileId, playableId } },
      create: {
        id: stableUuid(`watch-history:${key}:${playableId}`),
        profileId,
        playableId,
        createdAt: new Date(anchor - (entry.hoursAgo + 1) * HOUR_MS),
        ...values,
      },
      update: values,
    });
  }

  const viewedContent = [...new Set(plan.history.map((entry) => entry.title.content.id))];
  await db.contentViewer.createMany({
    data: viewedContent.map((contentId) => ({
      id: stableUuid(`content-viewer:${key}:${contentId}`),
      contentId,
      profileId,
      firstViewedAt: new Date(anchor - 30 * DAY_MS),
    })),
    skipDuplicates: true,
  });

  let reviews = 0;
  for (const [position, entry] of plan.ratings.entries()) {
    const contentId = entry.title.content.id;
    const ratedAt = new Date(anchor - (position + 1) * DAY_MS);
    const rating = await db.rating.upsert({
      where: { profileId_contentId: { profileId, contentId } },
      create: {
        id: stableUuid(`rating:${key}:${contentId}`),
        profileId,
        contentId,
        rating: entry.stars,
        createdAt: ratedAt,
        updatedAt: ratedAt,
      },
      update: { rating: entry.stars, updatedAt: ratedAt },
      select: { id: true },
    });
    if (entry.review === null) continue;
    reviews += 1;
    await db.review.upsert({
      where: { profileId_contentId: { profileId, contentId } },
      create: {
        id: stableUuid(`review:${key}:${contentId}`),
        ratingId: rating.id,
        profileId,
        contentId,
        body: entry.review,
        createdAt: ratedAt,
        updatedAt: ratedAt,
      },
      update: { ratingId: rating.id, body: entry.review, updatedAt: ratedAt },
    });
  }

  for (const [position, title] of plan.watchlist.entries()) {
    const contentId = title.content.id;
    await db.watchlist.upsert({
      where: { profileId_contentId: { profileId, contentId } },
      create: {
        id: stableUuid(`watchlist:${key}:${contentId}`),
        profileId,
        contentId,
        addedAt: new Date(anchor - (position + 1) * 6 * HOUR_MS),
      },
      update: {},
    });
  }

  return { watchHistory: plan.history.length, ratings: plan.ratings.length, reviews, watchlist: plan.watchlist.length };
}

/** Running totals and the last 14 days of views for the first titles, so that `trending` has data. */
async function seedAnalytics(
  db: PrismaClient,
  titles: readonly GeneratedTitle[],
  anchor: number,
): Promise<{ analytics: number; dailyViews: number }> {
  const today = anchor;
  const tracked = titles.slice(0, 120);
  const dailyRows: { id: string; contentId: string; day: Date; views: number }[] = [];
  for (const title of tracked) {
    const random = new Random(`analytics:${title.index}`);
    // A few breakout titles, a long tail of steady ones.
    const popularity = random.chance(0.15) ? random.int(400, 2500) : random.int(5, 300);
    const trend = random.float() * 0.12 - 0.03;
    let recentViews = 0;
    if (title.index < 60) {
      for (let daysAgo = 13; daysAgo >= 0; daysAgo -= 1) {
        const day = today - daysAgo * DAY_MS;
        const dayKey = new Date(day).toISOString().slice(0, 10);
        // Drawn from the date and the title, so the same day always gets the same number.
        const noise = new Random(`daily-views:${title.index}:${dayKey}`).float() * 0.4 + 0.8;
        const views = Math.max(0, Math.round(popularity * noise * (1 + trend * (13 - daysAgo))));
        recentViews += views;
        dailyRows.push({ id: stableUuid(`daily-views:${title.index}:${dayKey}`), contentId: title.content.id, day: new Date(day), views });
      }
    }
    const views = recentViews + popularity * random.int(20, 120);
    const uniqueViewers = Math.round(views * (0.6 + random.float() * 0.3));
    const completions = Math.round(views * (0.3 + random.float() * 0.5));
    const averageSeconds = Math.round((title.playables[0]?.durationSeconds ?? 3600) * (0.4 + random.float() * 0.5));
    const values = {
      views,
      uniqueViewers,
      completions,
      totalWatchSeconds: BigInt(views) * BigInt(averageSeconds),
      updatedAt: new Date(anchor),
    };
    await db.contentAnalytics.upsert({
      where: { contentId: title.content.id },
      create: { id: stableUuid(`content-analytics:${title.index}`), contentId: title.content.id, ...values },
      update: values,
    });
  }
  for (let start = 0; start < dailyRows.length; start += 1000) {
    await db.contentDailyViews.createMany({ data: dailyRows.slice(start, start + 1000), skipDuplicates: true });
  }
  return { analytics: tracked.length, dailyViews: dailyRows.length };
}

/**
 * Demo users and their activity. `titles` are the first generated titles (the demo only ever points at these,
 * so it is the same whatever the catalog size).
 */
export async function seedDemo(
  db: PrismaClient,
  planIds: Record<PlanCode, string>,
  titles: readonly GeneratedTitle[],
  now: number,
): Promise<DemoSummary> {
  const summary: DemoSummary = {
    users: 0,
    profiles: 0,
    devices: 0,
    subscriptions: 0,
    watchHistory: 0,
    ratings: 0,
    reviews: 0,
    watchlist: 0,
    contentAnalytics: 0,
    contentDailyViews: 0,
  };
  const anchor = utcMidnight(now);
  const users = new Map<string, SeededUser>();
  for (const user of DEMO_USERS) {
    users.set(user.key, await upsertUser(db, user, anchor));
    summary.users += 1;
    summary.profiles += user.profiles.length;
    summary.devices += user.devices.length;
  }

  const alice = users.get("alice");
  if (alice) {
    await seedAliceBilling(db, alice.id, planIds.standard, anchor);
    summary.subscriptions += 1;
  }

  const kidsTitles = titles.filter((title) => KIDS_RATINGS.has(title.content.maturityRating));
  const activities: { user: string; profile: string; pool: readonly GeneratedTitle[]; counts: Parameters<typeof planActivity>[2] }[] = [
    { user: "alice", profile: "Alice", pool: titles, counts: { films: 6, series: 2, ratings: 10, reviews: 4, watchlist: 6 } },
    { user: "alice", profile: "Kids", pool: kidsTitles, counts: { films: 3, series: 1, ratings: 3, reviews: 0, watchlist: 4 } },
    { user: "bob", profile: "Bob", pool: titles, counts: { films: 2, series: 1, ratings: 3, reviews: 1, watchlist: 3 } },
  ];
  for (const activity of activities) {
    const profileId = users.get(activity.user)?.profiles.get(activity.profile);
    if (!profileId) continue;
    const key = `${activity.user}:${activity.profile}`;
    const counts = await seedActivity(db, profileId, key, planActivity(key, activity.pool, activity.counts), anchor);
    summary.watchHistory += counts.watchHistory;
    summary.ratings += counts.ratings;
    summary.reviews += counts.reviews;
    summary.watchlist += counts.watchlist;
  }

  const analytics = await seedAnalytics(db, titles, anchor);
  summary.contentAnalytics = analytics.analytics;
  summary.contentDailyViews = analytics.dailyViews;
  return summary;
}
