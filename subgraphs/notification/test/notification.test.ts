// The notification subgraph served as it runs: event consumer on (waking through a private Redis fed by the
// producers' relay), graphql-ws subscriptions over Redis pub/sub, support tickets, email to the local outbox.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import {
  createLogger,
  GATEWAY_SUBSCRIBER,
  signWebSocketParams,
  type Identity,
} from "@watchflixx/common";
import { codeOf, relayEventsOf, startTestSubgraph, type TestSubgraph } from "@watchflixx/testing";
import { startTestRedis, type TestRedisServer } from "@watchflixx/common/testing/redis";
import { notificationSubgraphWith, type NotificationConfig, type NotificationLoaders } from "../src/index.ts";
import { notificationTopic } from "../src/services/notification.service.ts";
import {
  addEpisode,
  createProfile,
  createSeries,
  createUser,
  partyWatchStarted,
  paymentFailed,
  subscribe,
  subscriptionRenewed,
} from "./fixtures.ts";

const WAIT = { timeout: 45_000, interval: 100 };
const logger = createLogger("notification-test", "error");

let database: TestDatabase;
let redisServer: TestRedisServer;
let inspector: Redis;
let server: TestSubgraph<NotificationConfig, NotificationLoaders>;
const relays: { stop(): Promise<void> }[] = [];

let fan: Identity;
let other: Identity;
let staff: Identity;
let fanProfile: { id: string; userId: string };
let fanKids: { id: string; userId: string };
let fanEmail: string;

const NOTIFICATIONS = "query($first: Int, $unreadOnly: Boolean) { notifications(first: $first, unreadOnly: $unreadOnly) { id type title body read createdAt profile { id } content { id } } }";
const NOTIFICATION_ADDED = "subscription { notificationAdded { id type title body createdAt } }";

function listen(identity: Identity) {
  return subscribe<{ notificationAdded: { id: string; type: string; title: string; body: string } }>(
    server.url,
    signWebSocketParams(identity, server.deps.config.GATEWAY_SHARED_SECRET),
    NOTIFICATION_ADDED,
  );
}

async function topicListeners(userId: string): Promise<number> {
  const [, count] = (await inspector.pubsub("NUMSUB", notificationTopic(userId))) as [string, number];
  return count;
}

/** The subscription is live once the subgraph's Redis subscriber listens on the account's topic. */
async function listening(userId: string): Promise<void> {
  await expect.poll(() => topicListeners(userId), WAIT).toBeGreaterThan(0);
}

/** After a stream closes, the subgraph stops listening on its topic (so the next `listening` means the next stream). */
async function notListening(userId: string): Promise<void> {
  await expect.poll(() => topicListeners(userId), WAIT).toBe(0);
}

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  redisServer = await startTestRedis();
  inspector = new Redis(redisServer.url);

  const fanUser = await createUser(db, "fan");
  const otherUser = await createUser(db, "other");
  const staffUser = await createUser(db, "staff", "STAFF");
  fanEmail = fanUser.email;
  fan = { userId: fanUser.id, role: "USER", deviceId: null };
  other = { userId: otherUser.id, role: "USER", deviceId: null };
  staff = { userId: staffUser.id, role: "STAFF", deviceId: null };
  fanProfile = await createProfile(db, fanUser.id, "Fan");
  fanKids = await createProfile(db, fanUser.id, "Fan junior");
  await createProfile(db, otherUser.id, "Other");

  // The producers' side of the bus: their relays copy committed events to the Redis streams.
  for (const service of ["content", "payment", "social"] as const) relays.push(relayEventsOf(service, { db, redisUrl: redisServer.url }));
  server = await startTestSubgraph(notificationSubgraphWith({ emailPollIntervalMs: 200 }), { db, config: { REDIS_URL: redisServer.url }, logger });
});

afterAll(async () => {
  await server?.stop();
  for (const relay of relays) await relay.stop();
  inspector?.disconnect();
  await redisServer?.stop();
  await database?.drop();
});

describe("notifications", () => {
  it("tells a profile with the series on its watchlist about a new episode, live and in its list", async () => {
    const { db } = database;
    const series = await createSeries(db, "The Lighthouse Keepers");
    await db.watchlist.create({ data: { profileId: fanProfile.id, contentId: series.content.id } });
    await db.watchlist.create({ data: { profileId: fanKids.id, contentId: series.content.id } });
    // A third profile saved it too, and its limit was lowered below the series' PG13 since: it is not told.
    const lowered = await db.profile.create({ data: { userId: fan.userId, name: "Fan little", maturityRating: "PG" } });
    await db.watchlist.create({ data: { profileId: lowered.id, contentId: series.content.id } });

    const fanStream = listen(fan);
    const otherStream = listen(other);
    await listening(fan.userId);
    await listening(other.userId);

    const episode = await addEpisode(db, series, 2, "Storm Warning");

    // Two of the fan's profiles that may watch it: two notifications, both delivered live.
    const first = await fanStream.next();
    const second = await fanStream.next();
    for (const event of [first, second]) {
      expect(event.notificationAdded).toMatchObject({
        type: "NEW_EPISODE",
        title: "New episode of The Lighthouse Keepers",
        body: 'S1E2 "Storm Warning" is now available.',
      });
    }

    const list = (await server.gql(NOTIFICATIONS, {}, fan)).data.notifications;
    expect(list).toHaveLength(2);
    expect(list.map((n: { profile: { id: string } }) => n.profile.id).sort()).toEqual([fanProfile.id, fanKids.id].sort());
    expect(list.every((n: { read: boolean; content: { id: string } }) => !n.read && n.content.id === series.content.id)).toBe(true);
    expect(new Set(list.map((n: { id: string }) => n.id))).toEqual(new Set([first.notificationAdded.id, second.notificationAdded.id]));
    // The other account watch-lists nothing: its list is empty, and its stream's first event is its own.
    expect((await server.gql(NOTIFICATIONS, {}, other)).data.notifications).toEqual([]);
    await paymentFailed(db, other.userId);
    expect((await otherStream.next()).notificationAdded.type).toBe("PAYMENT_FAILED");
    expect(otherStream.received).toHaveLength(1);

    const event = await db.serviceEvent.findFirstOrThrow({ where: { eventType: "EpisodeAdded", payload: { path: ["episodeId"], equals: episode.id } } });
    expect(event.processedBy).toEqual(["notification"]);
    await fanStream.close();
    await otherStream.close();
    await notListening(fan.userId);
    await notListening(other.userId);
  });

  it("marks the caller's own notifications read, and only those", async () => {
    const [mine] = (await server.gql(NOTIFICATIONS, { unreadOnly: true }, fan)).data.notifications;
    const mark = "mutation($id: ID!) { markNotificationRead(id: $id) { id read } }";
    expect((await server.gql(mark, { id: mine.id }, fan)).data.markNotificationRead).toEqual({ id: mine.id, read: true });
    expect((await server.gql(mark, { id: mine.id }, fan)).data.markNotificationRead).toEqual({ id: mine.id, read: true });
    const stolen = await server.gql(mark, { id: mine.id }, other);
    expect(codeOf(stolen)).toBe("NOT_FOUND");
    const unread = (await server.gql(NOTIFICATIONS, { unreadOnly: true }, fan)).data.notifications;
    expect(unread.map((n: { id: string }) => n.id)).not.toContain(mine.id);
    expect(codeOf(await server.gql(NOTIFICATIONS))).toBe("UNAUTHENTICATED");
    expect(codeOf(await server.gql(NOTIFICATIONS, { first: 101 }, fan))).toBe("BAD_USER_INPUT");
  });

  it("notifies payment failures and renewals, with an email each in the local outbox", async () => {
    const { db } = database;
    // Two aggregates (two subscriptions) that the consumer may well apply side by side and in either order:
    // the feed still lists them as they happened, newest first.
    await paymentFailed(db, fan.userId);
    await new Promise((resolve) => setTimeout(resolve, 5)); // a later moment, not the same millisecond
    await subscriptionRenewed(db, fan.userId);
    await expect
      .poll(async () => (await server.gql(NOTIFICATIONS, { first: 2 }, fan)).data.notifications.map((n: { type: string }) => n.type), WAIT)
      .toEqual(["SUBSCRIPTION_RENEWED", "PAYMENT_FAILED"]);
    const [renewed, failed] = (await server.gql(NOTIFICATIONS, { first: 2 }, fan)).data.notifications;
    expect(failed.body).toContain("$15.99");
    expect(renewed.body).toBe("Your Standard plan renewed for $15.99. Next renewal on 2030-02-01.");
    expect(failed.profile).toBeNull();

    await expect
      .poll(() => db.emailOutbox.findMany({ where: { toAddress: fanEmail }, orderBy: { subject: "asc" } }), WAIT)
      .toEqual([
        expect.objectContaining({ subject: "Your WatchFlixx payment failed", status: "SENT", provider: "outbox" }),
        expect.objectContaining({ subject: "Your WatchFlixx subscription renewed", status: "SENT", provider: "outbox" }),
      ]);
  });

  it("gives the host of a new watch party its invite code", async () => {
    const { db } = database;
    const series = await createSeries(db, "Night Shift");
    await partyWatchStarted(db, fanProfile, series.content.id);
    await expect
      .poll(async () => (await server.gql(NOTIFICATIONS, { first: 1 }, fan)).data.notifications[0], WAIT)
      .toMatchObject({ type: "PARTY_INVITE", body: "Share invite code K7PQ2XWZ so friends can join you for Night Shift.", profile: { id: fanProfile.id } });
  });

  it("refuses notificationAdded without an account's own identity", async () => {
    const anonymous = subscribe(server.url, {}, NOTIFICATION_ADDED);
    expect(JSON.stringify(await anonymous.errors)).toContain("UNAUTHENTICATED");
    await anonymous.close();
    const gateway = subscribe(server.url, signWebSocketParams(GATEWAY_SUBSCRIBER, server.deps.config.GATEWAY_SHARED_SECRET), NOTIFICATION_ADDED);
    expect(JSON.stringify(await gateway.errors)).toContain("FORBIDDEN");
    await gateway.close();
  });
});

describe("support tickets", () => {
  const OPEN = "mutation($input: OpenSupportTicketInput!) { openSupportTicket(input: $input) { id subject status createdAt } }";
  const TICKETS = "{ supportTickets { id subject status responses { id body fromStaff createdAt } } }";
  const RESPOND = "mutation($id: ID!, $body: String!) { respondToSupportTicket(ticketId: $id, body: $body) { id status responses { body fromStaff } } }";

  it("opens a ticket whose message is its first response, and lets staff answer it", async () => {
    const opened = await server.gql(OPEN, { input: { subject: "  Buffering on my TV ", message: "It stops every few minutes." } }, fan);
    expect(opened.data.openSupportTicket).toMatchObject({ subject: "Buffering on my TV", status: "OPEN" });
    const ticketId = opened.data.openSupportTicket.id;
    expect((await server.gql(TICKETS, {}, fan)).data.supportTickets).toEqual([
      { id: ticketId, subject: "Buffering on my TV", status: "OPEN", responses: [expect.objectContaining({ body: "It stops every few minutes.", fromStaff: false })] },
    ]);
    expect((await server.gql(TICKETS, {}, other)).data.supportTickets).toEqual([]);

    const queue = await server.gql("{ supportQueue { id } }", {}, staff);
    expect(queue.data.supportQueue.map((t: { id: string }) => t.id)).toContain(ticketId);
    expect(codeOf(await server.gql("{ supportQueue { id } }", {}, fan))).toBe("FORBIDDEN");

    const stream = listen(fan);
    await listening(fan.userId);
    expect(codeOf(await server.gql(RESPOND, { id: ticketId, body: "Try the data saver." }, fan))).toBe("FORBIDDEN");
    const answered = await server.gql(RESPOND, { id: ticketId, body: "Please restart the app and try again." }, staff);
    expect(answered.data.respondToSupportTicket).toEqual({
      id: ticketId,
      status: "ANSWERED",
      responses: [
        { body: "It stops every few minutes.", fromStaff: false },
        { body: "Please restart the app and try again.", fromStaff: true },
      ],
    });
    expect((await stream.next()).notificationAdded).toMatchObject({ type: "SUPPORT_REPLY", title: "Support replied: Buffering on my TV" });
    await stream.close();
    expect(codeOf(await server.gql(RESPOND, { id: "00000000-0000-0000-0000-000000000000", body: "Hello" }, staff))).toBe("NOT_FOUND");
    const blank = await server.gql(OPEN, { input: { subject: " ", message: "x" } }, fan);
    expect(codeOf(blank)).toBe("BAD_USER_INPUT");
  });
});
