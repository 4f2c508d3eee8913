// A rental's first-play window, which payment starts from streaming's PlaybackStarted: the event as streaming
// records it, through payment's own consumer, on a real database; the rental read back as the caller sees it.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger, recordEvent, startConsumer, type EventConsumer, type RecordedEvent } from "@watchflixx/common";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { playbackHandlers } from "../src/index.ts";
import { BILLING_OF_USER, createUser, DAY_MS, startPayment, viewer, type PaymentHarness } from "./support.ts";

const RENT = `mutation RentContent($contentId: ID!) { rentContent(contentId: $contentId) { id status expiresAt purchasedAt } }`;
const HOUR_MS = 60 * 60 * 1000;

describe("a rental's first-play window", () => {
  let database: TestDatabase;
  let api: PaymentHarness;
  // Drained by the test, so that each assertion follows the events it fed in.
  let consumer: EventConsumer;
  let rentable: string;

  beforeAll(async () => {
    database = await createTestDatabase({ seeded: true });
    api = await startPayment(database.db, {}, { consumer: false });
    consumer = startConsumer({ service: "payment", db: database.db, handlers: playbackHandlers, redisUrl: null, pollIntervalMs: 600_000 });
    rentable = (await database.db.content.findFirstOrThrow({ where: { rentalPriceCents: { not: null }, publishedAt: { not: null } }, select: { id: true } })).id;
  });
  afterAll(async () => {
    await consumer?.stop();
    await api?.stop();
    await database?.drop();
  });

  async function rent(userId: string): Promise<string> {
    const result = await api.gql(RENT, { contentId: rentable }, viewer(userId));
    expect(result.errors).toBeUndefined();
    return result.data.rentContent.id;
  }

  /** What streaming records when the user starts playing the title. */
  async function playbackStarted(userId: string, startedAt: Date, entitlement: { rentalId: string | null; source?: "RENTAL" | "SUBSCRIPTION" }) {
    const sessionId = randomUUID();
    return database.db.$transaction((tx) =>
      recordEvent(tx, {
        eventType: "PlaybackStarted",
        service: "streaming",
        aggregateType: "viewing_session",
        aggregateId: sessionId,
        payload: {
          sessionId,
          userId,
          profileId: randomUUID(),
          contentId: rentable,
          entitlement: entitlement.source ?? "RENTAL",
          rentalId: entitlement.rentalId,
          startedAt: startedAt.toISOString(),
        },
      }),
    );
  }

  /** Lets the consumer catch up, and checks that it has processed these events. */
  async function applied(...ids: bigint[]): Promise<void> {
    await consumer.drain();
    const events = await database.db.serviceEvent.findMany({ where: { id: { in: ids } }, select: { processedBy: true } });
    expect(events.map((event) => event.processedBy.includes("payment"))).toEqual(ids.map(() => true));
  }

  async function rentalAsSeen(userId: string, rentalId: string): Promise<{ status: string; expiresAt: string }> {
    const result = await api.gql(BILLING_OF_USER, { id: userId }, viewer(userId));
    expect(result.errors).toBeUndefined();
    return result.data._entities[0].rentals.find((rental: { id: string }) => rental.id === rentalId);
  }

  it("starts 48 hours from the first play, and neither the same event again nor a later play moves it", async () => {
    const user = await createUser(database.db);
    const rentalId = await rent(user.id);
    expect(await rentalAsSeen(user.id, rentalId)).toMatchObject({ status: "PENDING" });

    const firstPlay = new Date(Date.now() - 60_000);
    const first = await playbackStarted(user.id, firstPlay, { rentalId });
    await applied(first);
    const ends = new Date(firstPlay.getTime() + 48 * HOUR_MS);
    expect(await rentalAsSeen(user.id, rentalId)).toMatchObject({ status: "ACTIVE", expiresAt: ends.toISOString() });
    const row = await database.db.rental.findUniqueOrThrow({ where: { id: rentalId } });
    expect(row.firstPlayedAt).toEqual(firstPlay);

    // A second play an hour later, and the first event redelivered (a replay marks nothing processed).
    await applied(await playbackStarted(user.id, new Date(firstPlay.getTime() + HOUR_MS), { rentalId }));
    await playbackHandlersAgain(await database.db.serviceEvent.findUniqueOrThrow({ where: { id: first } }));
    expect(await database.db.rental.findUniqueOrThrow({ where: { id: rentalId } })).toEqual(row);
    expect(await rentalAsSeen(user.id, rentalId)).toMatchObject({ status: "ACTIVE", expiresAt: ends.toISOString() });
  });

  it("never ends later than 30 days after purchase", async () => {
    const user = await createUser(database.db);
    const rentalId = await rent(user.id);
    const purchasedAt = new Date(Date.now() - 29.5 * DAY_MS);
    await database.db.rental.update({ where: { id: rentalId }, data: { purchasedAt, expiresAt: new Date(purchasedAt.getTime() + 30 * DAY_MS) } });

    await applied(await playbackStarted(user.id, new Date(), { rentalId }));
    expect(await rentalAsSeen(user.id, rentalId)).toMatchObject({
      status: "ACTIVE",
      expiresAt: new Date(purchasedAt.getTime() + 30 * DAY_MS).toISOString(),
    });
  });

  it("leaves the rental alone when a subscription entitled the play, or the event names another user's rental", async () => {
    const user = await createUser(database.db);
    const rentalId = await rent(user.id);
    const before = await database.db.rental.findUniqueOrThrow({ where: { id: rentalId } });

    await applied(
      await playbackStarted(user.id, new Date(), { rentalId: null, source: "SUBSCRIPTION" }),
      await playbackStarted((await createUser(database.db)).id, new Date(), { rentalId }),
    );
    expect(await database.db.rental.findUniqueOrThrow({ where: { id: rentalId } })).toEqual(before);
    expect(await rentalAsSeen(user.id, rentalId)).toMatchObject({ status: "PENDING" });
  });

  /** Applies an already processed event once more, as a redelivery would, in a transaction of its own. */
  async function playbackHandlersAgain(event: RecordedEvent) {
    const handler = playbackHandlers.PlaybackStarted;
    if (!handler) throw new Error("payment handles PlaybackStarted");
    await database.db.$transaction((tx) => handler(tx, event, { afterCommit: () => undefined, logger: createLogger("payment", "error") }));
  }
});
