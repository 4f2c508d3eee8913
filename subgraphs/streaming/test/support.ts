// Shared set-up for the streaming tests: a seeded database of the test file's own, the subgraph started as
// main.ts starts it (@watchflixx/testing's startTestSubgraph) on a client that counts the SQL statements it
// sends (countingDatabase), and the seeded accounts and titles the tests play.
import { afterAll, beforeAll } from "vitest";
import type { MaturityRating, PrismaClient } from "@watchflixx/db";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { countingDatabase, startTestSubgraph, type CountingDatabase, type TestSubgraph } from "@watchflixx/testing";
import type { Identity } from "@watchflixx/common";
import { streamingSubgraph, type Loaders, type StreamingConfig } from "../src/index.ts";

export interface StreamingHarness {
  database: TestDatabase;
  /** The client the subgraph runs on; every statement it sends is counted (`counting.statements()`). */
  db: PrismaClient;
  counting: CountingDatabase;
  server: TestSubgraph<StreamingConfig, Loaders>;
  stop(): Promise<void>;
}

export async function startStreaming(): Promise<StreamingHarness> {
  const database = await createTestDatabase({ seeded: true });
  const counting = countingDatabase(database.url);
  const server = await startTestSubgraph(streamingSubgraph, {
    db: counting.db,
    // These tests start and report playback for one profile far faster than any viewer (dozens a second); the
    // limits themselves are tested in rate-limits.test.ts.
    env: { LOG_LEVEL: "error", RATE_LIMITS: "playback-start-profile=1000/60,playback-progress-account=1000/60" },
  });
  return {
    database,
    db: counting.db,
    counting,
    server,
    async stop() {
      await server.stop();
      await counting.close();
      await database.drop();
    },
  };
}

/** The text of the statements sent since `counting.reset()`. */
export function sentStatements(counting: CountingDatabase): string[] {
  return counting.statements().map((statement) => statement.text);
}

export interface Account {
  identity: Identity;
  userId: string;
  profiles: Record<string, string>;
}

/** A seeded demo account by e-mail, with its profiles by name. */
export async function account(db: PrismaClient, email: string): Promise<Account> {
  const user = await db.user.findUniqueOrThrow({ where: { email }, select: { id: true, profiles: { select: { id: true, name: true } } } });
  return {
    identity: { userId: user.id, role: "USER", deviceId: null },
    userId: user.id,
    profiles: Object.fromEntries(user.profiles.map((profile) => [profile.name, profile.id])),
  };
}

/** A new account with no subscription and one grown-up profile. */
export async function newAccount(db: PrismaClient, name: string): Promise<Account & { profileId: string }> {
  const user = await db.user.create({
    data: {
      email: `${name.toLowerCase()}-${Math.random().toString(36).slice(2, 10)}@example.test`,
      name,
      passwordHash: "not-a-real-hash",
      profiles: { create: { name } },
    },
    select: { id: true, profiles: { select: { id: true, name: true } } },
  });
  const profileId = user.profiles[0]?.id ?? "";
  return { identity: { userId: user.id, role: "USER", deviceId: null }, userId: user.id, profiles: { [name]: profileId }, profileId };
}

export async function subscribe(db: PrismaClient, userId: string, planCode: "basic" | "standard" | "premium", status: "ACTIVE" | "TRIALING" = "ACTIVE"): Promise<void> {
  const plan = await db.plan.findUniqueOrThrow({ where: { code: planCode }, select: { id: true } });
  const now = Date.now();
  await db.subscription.create({
    data: {
      userId,
      planId: plan.id,
      status,
      provider: "LOCAL",
      currentPeriodStart: new Date(now - 24 * 3600 * 1000),
      currentPeriodEnd: new Date(now + 29 * 24 * 3600 * 1000),
    },
  });
}

/** A rental as the payment subgraph writes it: PENDING until first play, with its invoice (PAID unless told). */
export async function rent(
  db: PrismaClient,
  userId: string,
  contentId: string,
  options: { purchasedAt?: Date; invoice?: "PAID" | "OPEN" } = {},
): Promise<string> {
  const purchasedAt = options.purchasedAt ?? new Date();
  const rental = await db.rental.create({
    data: {
      userId,
      contentId,
      priceCents: 399,
      currency: "USD",
      provider: "LOCAL",
      status: "PENDING",
      purchasedAt,
      expiresAt: new Date(purchasedAt.getTime() + 30 * 86_400_000),
      invoice: {
        create: {
          userId,
          amountCents: 399,
          currency: "USD",
          status: options.invoice ?? "PAID",
          issuedAt: purchasedAt,
          paidAt: (options.invoice ?? "PAID") === "PAID" ? purchasedAt : null,
        },
      },
    },
    select: { id: true },
  });
  return rental.id;
}

export interface FilmFixture {
  id: string;
  durationSeconds: number;
}

/** The `skip`-th published film rated exactly `rating`, with video files, that nobody has watched, rated or saved yet. */
export async function film(db: PrismaClient, rating: MaturityRating, skip = 0): Promise<FilmFixture> {
  const content = await db.content.findFirstOrThrow({
    where: {
      type: "MOVIE",
      maturityRating: rating,
      publishedAt: { not: null },
      durationMinutes: { not: null },
      videoFiles: { some: {} },
      watchHistory: { none: {} },
      ratings: { none: {} },
      watchlist: { none: {} },
    },
    orderBy: { id: "asc" },
    skip,
    select: { id: true, videoFiles: { select: { durationSeconds: true } } },
  });
  return { id: content.id, durationSeconds: Math.max(...content.videoFiles.map((file) => file.durationSeconds)) };
}

export interface SeriesFixture {
  id: string;
  /** Episodes in viewing order (season, then episode number). */
  episodes: { id: string; number: number; season: number; durationSeconds: number }[];
}

/** A published series with at least two seasons of two episodes, rated among `ratings`, that nobody has watched. */
export async function series(db: PrismaClient, ratings: MaturityRating[] = ["G", "PG", "PG13", "R", "NC17"]): Promise<SeriesFixture> {
  const candidates = await db.content.findMany({
    where: { type: "SERIES", publishedAt: { not: null }, maturityRating: { in: ratings }, watchHistory: { none: {} } },
    orderBy: { id: "asc" },
    select: {
      id: true,
      seasons: {
        orderBy: { number: "asc" },
        select: { number: true, episodes: { orderBy: { number: "asc" }, select: { id: true, number: true, durationMinutes: true } } },
      },
    },
    take: 50,
  });
  const chosen = candidates.find((content) => content.seasons.length >= 2 && content.seasons.every((season) => season.episodes.length >= 2));
  if (!chosen) throw new Error("the seed has no series with two seasons of two episodes");
  return {
    id: chosen.id,
    episodes: chosen.seasons.flatMap((season) =>
      season.episodes.map((episode) => ({ id: episode.id, number: episode.number, season: season.number, durationSeconds: episode.durationMinutes * 60 })),
    ),
  };
}

export const START = /* GraphQL */ `
  mutation StartPlayback($input: StartPlaybackInput!) {
    startPlayback(input: $input) { id manifestUrl resumePositionSeconds startedAt content { id } episode { id } }
  }`;

export const REPORT = /* GraphQL */ `
  mutation ReportProgress($input: ReportProgressInput!) {
    reportProgress(input: $input) { positionSeconds progressPercent completed }
  }`;

export const CONTINUE = /* GraphQL */ `
  query ContinueWatching($profileId: ID!, $first: Int) {
    continueWatching(profileId: $profileId, first: $first) { positionSeconds progressPercent updatedAt completed content { id } episode { id } }
  }`;

export interface DemoWorld {
  harness: StreamingHarness;
  alice: Account;
  bob: Account;
}

/**
 * For a test file: the streaming harness and the demo accounts Alice and Bob, made before its tests and stopped
 * after them (read the fields inside the tests).
 */
export function useDemoWorld(): DemoWorld {
  const world = {} as DemoWorld;
  beforeAll(async () => {
    world.harness = await startStreaming();
    world.alice = await account(world.harness.db, "alice@watchflixx.dev");
    world.bob = await account(world.harness.db, "bob@watchflixx.dev");
  });
  afterAll(async () => {
    await world.harness?.stop();
  });
  return world;
}
