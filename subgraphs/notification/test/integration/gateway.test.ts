// Notifications behind the real gateway, with the real auth, content and streaming subgraphs: a profile
// watch-lists a series, staff add an episode (content records EpisodeAdded), the notification consumer turns
// it into a NEW_EPISODE notification; support tickets round-trip between a user and staff.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { startTestRedis, type TestRedisServer } from "@watchflixx/common/testing/redis";
import { codeOf, contractOperation, relayEventsOf, signIn, signUpViewer, startSupergraph, type RunningSupergraph } from "@watchflixx/testing";
import { authSubgraph } from "@watchflixx/auth";
import { contentSubgraph } from "@watchflixx/content";
import { streamingSubgraph } from "@watchflixx/streaming";
import { notificationSubgraphWith } from "../../src/index.ts";

const WAIT = { timeout: 60_000, interval: 200 };
const op = contractOperation;

let database: TestDatabase;
let redisServer: TestRedisServer;
let relay: { stop(): Promise<void> };
let supergraph: RunningSupergraph;

const signUp = (name: string) => signUpViewer(supergraph.client, name);

async function publishedSeason(): Promise<{ contentId: string; title: string; seasonId: string; nextNumber: number }> {
  const [season] = await database.db.$queryRaw<{ content_id: string; title: string; season_id: string; next_number: number }[]>`
    SELECT c.id AS content_id, c.title, s.id AS season_id, (coalesce(max(e.number), 0) + 1)::int AS next_number
    FROM seasons s JOIN contents c ON c.id = s.content_id LEFT JOIN episodes e ON e.season_id = s.id
    WHERE c.published_at IS NOT NULL AND c.maturity_rating::text IN ('G', 'PG', 'PG13')
    GROUP BY c.id, c.title, s.id ORDER BY c.title, s.number LIMIT 1`;
  if (!season) throw new Error("the seed has no published series");
  return { contentId: season.content_id, title: season.title, seasonId: season.season_id, nextNumber: season.next_number };
}

const CREATE_EPISODE = "mutation($input: CreateEpisodeInput!) { createEpisode(input: $input) { id number title } }";

beforeAll(async () => {
  database = await createTestDatabase({ seeded: true });
  redisServer = await startTestRedis();
  supergraph = await startSupergraph({
    db: database.db,
    config: { LOG_LEVEL: "error", REDIS_URL: redisServer.url },
    subgraphs: [
      authSubgraph,
      contentSubgraph,
      streamingSubgraph,
      notificationSubgraphWith({ consumer: { pollIntervalMs: 1_000 }, emailPollIntervalMs: 500 }),
    ],
  });
  relay = relayEventsOf("content", { db: database.db, redisUrl: redisServer.url });
});

afterAll(async () => {
  await relay?.stop();
  await supergraph?.stop();
  await redisServer?.stop();
  await database?.drop();
});

describe("notifications through the gateway", () => {
  it("tells a profile with a series on its watchlist about the episode staff just added", async () => {
    const fan = await signUp("fan");
    const series = await publishedSeason();
    const listed = await supergraph.gql(op("web/playback.graphql", "AddToWatchlist"), { profileId: fan.profileId, contentId: series.contentId }, { token: fan.token });
    expect(listed.errors).toBeUndefined();

    const staff = await signIn(supergraph.client, "staff@watchflixx.dev");
    const created = await supergraph.gql(
      CREATE_EPISODE,
      { input: { seasonId: series.seasonId, number: series.nextNumber, title: "The Long Night", durationMinutes: 48 } },
      { token: staff },
    );
    expect(created.errors).toBeUndefined();

    const notifications = async () =>
      (await supergraph.gql(op("web/notifications.graphql", "Notifications"), { first: 10, unreadOnly: true }, { token: fan.token })).data.notifications as {
        id: string;
        type: string;
        title: string;
        body: string;
        read: boolean;
      }[];
    await expect.poll(notifications, WAIT).toEqual([
      expect.objectContaining({ type: "NEW_EPISODE", title: `New episode of ${series.title}`, body: expect.stringContaining("The Long Night"), read: false }),
    ]);
    const [notification] = await notifications();
    const marked = await supergraph.gql(op("web/notifications.graphql", "MarkNotificationRead"), { id: notification?.id }, { token: fan.token });
    expect(marked.data.markNotificationRead).toEqual({ id: notification?.id, read: true });
    expect(await notifications()).toEqual([]);

    const stranger = await signUp("stranger");
    expect(codeOf(await supergraph.gql(op("web/notifications.graphql", "MarkNotificationRead"), { id: notification?.id }, { token: stranger.token }))).toBe("NOT_FOUND");
  });

  // notificationAdded is per account: the notification subgraph refuses the gateway's own SERVICE identity, so
  // the gateway holds this upstream stream as the subscriber (scope "subscriber"), not one shared stream.
  it("delivers notificationAdded through the gateway, on the subscriber's own upstream stream", async () => {
    const fan = await signUp("live");
    const series = await publishedSeason();
    await supergraph.gql(op("web/playback.graphql", "AddToWatchlist"), { profileId: fan.profileId, contentId: series.contentId }, { token: fan.token });
    const client = createClient({ url: supergraph.url.replace(/^http/, "ws"), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${fan.token}` } });
    const received = new Promise<{ type: string }>((resolve, reject) => {
      client.subscribe<{ notificationAdded: { type: string } }>(
        { query: op("web/notifications.graphql", "NotificationAdded") },
        { next: (result) => (result.data ? resolve(result.data.notificationAdded) : reject(new Error(JSON.stringify(result.errors)))), error: reject, complete: () => undefined },
      );
    });
    const staff = await signIn(supergraph.client, "staff@watchflixx.dev");
    await supergraph.gql(CREATE_EPISODE, { input: { seasonId: series.seasonId, number: series.nextNumber + 1, title: "Dawn", durationMinutes: 45 } }, { token: staff });
    expect(await received).toMatchObject({ type: "NEW_EPISODE" });
    // Another account's subscriber does not get it: each account has its own upstream stream.
    expect(supergraph.gateway.subscriptions?.stats().activeUpstreams).toBe(1);
    await client.dispose();
  });

  it("opens a support ticket whose message is its first response, answered by staff", async () => {
    const user = await signUp("asker");
    const opened = await supergraph.gql(op("web/notifications.graphql", "OpenSupportTicket"), { input: { subject: "Cannot sign in on TV", message: "The code expires." } }, { token: user.token });
    expect(opened.errors).toBeUndefined();
    const ticketId: string = opened.data.openSupportTicket.id;

    const staff = await signIn(supergraph.client, "staff@watchflixx.dev");
    const respond = "mutation($id: ID!, $body: String!) { respondToSupportTicket(ticketId: $id, body: $body) { id status } }";
    expect(codeOf(await supergraph.gql(respond, { id: ticketId, body: "Let me look." }, { token: user.token }))).toBe("FORBIDDEN");
    const answered = await supergraph.gql(respond, { id: ticketId, body: "Codes last 10 minutes: start again on the TV." }, { token: staff });
    expect(answered.data.respondToSupportTicket).toEqual({ id: ticketId, status: "ANSWERED" });

    const tickets = await supergraph.gql(op("web/notifications.graphql", "SupportTickets"), {}, { token: user.token });
    expect(tickets.data.supportTickets).toEqual([
      {
        id: ticketId,
        subject: "Cannot sign in on TV",
        status: "ANSWERED",
        responses: [
          expect.objectContaining({ body: "The code expires.", fromStaff: false }),
          expect.objectContaining({ body: "Codes last 10 minutes: start again on the TV.", fromStaff: true }),
        ],
      },
    ]);
    const notifications = await supergraph.gql(op("web/notifications.graphql", "Notifications"), { first: 5 }, { token: user.token });
    expect(notifications.data.notifications[0]).toMatchObject({ type: "SUPPORT_REPLY", read: false });
  });
});
