// Rows and events the notification tests need; events are shaped as their producers write them
// (content: EpisodeAdded, payment: PaymentFailed / SubscriptionRenewed, social: PartyWatchStarted) and
// recorded the way a producer records them.
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@watchflixx/db";
import { recordEvent, type ServiceEventInput } from "@watchflixx/common";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";

export async function createUser(db: PrismaClient, name: string, role: "USER" | "STAFF" = "USER") {
  return db.user.create({
    data: { email: `${name}-${randomUUID().slice(0, 8)}@example.test`, passwordHash: "not-a-real-hash", name, role },
  });
}

export async function createProfile(db: PrismaClient, userId: string, name: string) {
  return db.profile.create({ data: { userId, name } });
}

export async function createSeries(db: PrismaClient, title: string) {
  const content = await db.content.create({
    data: { title, type: "SERIES", genres: ["Drama"], releaseYear: 2021, maturityRating: "PG13", publishedAt: new Date("2024-01-01T00:00:00Z") },
  });
  const season = await db.season.create({ data: { contentId: content.id, number: 1 } });
  return { content, season };
}

export async function record(db: PrismaClient, event: ServiceEventInput): Promise<bigint> {
  return db.$transaction((tx) => recordEvent(tx, event));
}

/** What the content subgraph records when staff add an episode to a published series. */
export async function addEpisode(db: PrismaClient, series: { content: { id: string; title: string }; season: { id: string; number: number } }, number: number, title: string) {
  const episode = await db.episode.create({
    data: { seasonId: series.season.id, contentId: series.content.id, number, title, durationMinutes: 42 },
  });
  await record(db, {
    eventType: "EpisodeAdded",
    service: "content",
    aggregateType: "content",
    aggregateId: series.content.id,
    payload: {
      contentId: series.content.id,
      contentTitle: series.content.title,
      seasonId: series.season.id,
      seasonNumber: series.season.number,
      episodeId: episode.id,
      episodeNumber: episode.number,
      episodeTitle: episode.title,
    },
  });
  return episode;
}

export function paymentFailed(db: PrismaClient, userId: string) {
  const subscriptionId = randomUUID();
  return record(db, {
    eventType: "PaymentFailed",
    service: "payment",
    aggregateType: "subscription",
    aggregateId: subscriptionId,
    payload: {
      userId,
      subscriptionId,
      rentalId: null,
      invoiceId: randomUUID(),
      amountCents: 1599,
      currency: "usd",
      reason: "card_declined",
      nextPaymentAttemptAt: "2030-01-05T00:00:00.000Z",
    },
  });
}

export function subscriptionRenewed(db: PrismaClient, userId: string) {
  const subscriptionId = randomUUID();
  return record(db, {
    eventType: "SubscriptionRenewed",
    service: "payment",
    aggregateType: "subscription",
    aggregateId: subscriptionId,
    payload: {
      userId,
      subscriptionId,
      planId: randomUUID(),
      planName: "Standard",
      invoiceId: randomUUID(),
      amountCents: 1599,
      currency: "usd",
      currentPeriodEnd: "2030-02-01T00:00:00.000Z",
    },
  });
}

export function partyWatchStarted(db: PrismaClient, host: { id: string; userId: string }, contentId: string) {
  const sessionId = randomUUID();
  return record(db, {
    eventType: "PartyWatchStarted",
    service: "social",
    aggregateType: "party",
    aggregateId: sessionId,
    payload: { sessionId, hostProfileId: host.id, userId: host.userId, contentId, inviteCode: "K7PQ2XWZ" },
  });
}

/** A graphql-ws subscription whose events queue up; `next()` waits for the next one. */
export interface SubscriptionProbe<T> {
  next(): Promise<T>;
  received: T[];
  /** The errors the server answered with, if it refused. */
  errors: Promise<unknown>;
  close(): Promise<void>;
}

export function subscribe<T>(url: string, connectionParams: Record<string, string>, query: string): SubscriptionProbe<T> {
  const client: Client = createClient({ url: url.replace(/^http/, "ws"), webSocketImpl: WebSocket, connectionParams, retryAttempts: 0 });
  const received: T[] = [];
  const waiting: ((value: T) => void)[] = [];
  let failed: (error: unknown) => void = () => undefined;
  const errors = new Promise<unknown>((resolve) => (failed = resolve));
  const unsubscribe = client.subscribe<T>(
    { query },
    {
      next: (result) => {
        if (result.errors) {
          failed(result.errors);
          return;
        }
        const value = result.data as T;
        received.push(value);
        waiting.shift()?.(value);
      },
      error: (error) => failed(error),
      complete: () => undefined,
    },
  );
  let consumed = 0;
  return {
    received,
    errors,
    next() {
      const index = consumed++;
      const ready = received[index];
      if (ready !== undefined) return Promise.resolve(ready);
      return new Promise<T>((resolve) => waiting.push(resolve));
    },
    async close() {
      unsubscribe();
      await client.dispose();
    },
  };
}
