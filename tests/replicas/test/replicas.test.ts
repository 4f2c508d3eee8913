// Replicas proven on one machine: two gateways and two instances of every subgraph, each service's instances
// behind a connection-balancing proxy as a Kubernetes Service balances them (packages/testing/src/replicas.ts),
// on the real PostgreSQL and a private Redis. It shows that
// - the contract's operations (a representative journey over all seven subgraphs, below) pass through it;
// - a party's members on different gateways get every message, whichever social instance sent it;
// - each event is applied once per consumer service although two instances of each consumer run;
// - a rolling restart of every service, one instance at a time, under steady load, fails no request and ends
//   no subscription for good: the clients' reconnects resume them.
// The figures (requests per instance, events claimed, failures during the restart) are printed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { print, type DocumentNode } from "graphql";
import { createClient as createWsClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import {
  AddToWatchlistDocument,
  BillingHistoryDocument,
  BrowseDocument,
  ContentDetailsDocument,
  ContinueWatchingDocument,
  CreatePartyWatchDocument,
  CreateProfileDocument,
  JoinPartyWatchDocument,
  MeDocument,
  NotificationsDocument,
  OpenSupportTicketDocument,
  PartyMessagesDocument,
  PlansDocument,
  RateContentDocument,
  RemoveFromWatchlistDocument,
  ReportProgressDocument,
  SearchDocument,
  SendPartyMessageDocument,
  SignInDocument,
  SignUpDocument,
  StartPlaybackDocument,
  SubscribeDocument,
  SupportTicketsDocument,
  TrendingDocument,
  TvHomeDocument,
  ViewingStatsDocument,
  WatchlistDocument,
  type TypedDocumentNode,
} from "@watchflixx/clients";
import { microservicesConfig, signIdentityHeaders } from "@watchflixx/common";
import { startTestRedis, type TestRedisServer } from "@watchflixx/common/testing/redis";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { createClient, type GraphQLClient, type GraphQLResult } from "@watchflixx/testing";
import { startReplicas, type ReplicasOptions, type RunningReplicas } from "@watchflixx/testing/replicas";
import { authSubgraph } from "@watchflixx/auth";
import { contentSubgraph } from "@watchflixx/content";
import { streamingSubgraph } from "@watchflixx/streaming";
import { paymentSubgraph } from "@watchflixx/payment";
import { socialSubgraphWith } from "@watchflixx/social";
import { analyticsSubgraphWith } from "@watchflixx/analytics";
import { notificationSubgraphWith } from "@watchflixx/notification";

/** SendPartyMessage as the gateway sends it to the social subgraph (which knows a sender's id only). */
const SEND_DIRECT = `mutation ($sessionId: ID!, $text: String!) { sendPartyMessage(sessionId: $sessionId, text: $text) { id text } }`;
const PASSWORD = "replicas all the way down 42";
const SUBGRAPHS = Object.keys(microservicesConfig().services);
// The consumers poll their own database often (no Redis wake-ups: the relay runs only in the services' main).
const consumer = { redisUrl: null, pollIntervalMs: 200 };

const definitions: ReplicasOptions["subgraphs"] = {
  auth: authSubgraph,
  content: contentSubgraph,
  streaming: streamingSubgraph,
  payment: paymentSubgraph,
  // Chat under steady load: the per-member limit (5 per 5 s) is not what is tested here.
  social: socialSubgraphWith({ maxMembers: 100, chatLimit: { messages: 1_000_000, windowMs: 1000 } }),
  analytics: analyticsSubgraphWith({ consumer }),
  notification: notificationSubgraphWith({ consumer, emailPollIntervalMs: 60_000 }),
};

interface Member {
  token: string;
  userId: string;
  profileId: string;
  name: string;
}

let database: TestDatabase;
let redis: TestRedisServer;
let replicas: RunningReplicas;
let client: GraphQLClient;
let filmId: string;
let filmTitle: string;
/** The film's view count in the seeded catalog, before any playback here. */
const wsClients: Client[] = [];

/** Sends a typed contract document with its operation name; fails the test on any error. */
async function ok<TData, TVariables extends Record<string, unknown>>(
  document: TypedDocumentNode<TData, TVariables>,
  variables: NoInfer<TVariables>,
  token?: string,
  via: GraphQLClient = client,
): Promise<TData> {
  const operationName = nameOf(document);
  const result = await via.request(document, variables, { operationName, ...(token ? { token } : {}) });
  expect(result.errors, `${operationName} answered errors`).toBeUndefined();
  expect(result.data, `${operationName} answered no data`).toBeTruthy();
  return result.data as TData;
}

function nameOf(document: DocumentNode): string {
  const operation = document.definitions.find((definition) => definition.kind === "OperationDefinition");
  return operation && "name" in operation && operation.name ? operation.name.value : "anonymous";
}

let memberSerial = 0;
async function newMember(label: string): Promise<Member> {
  memberSerial += 1;
  const email = `replicas-${label}-${memberSerial}-${Date.now()}@example.test`;
  const signUp = (await ok(SignUpDocument, { input: { email, password: PASSWORD, name: `Replica ${label}` } })).signUp;
  const signedIn = (await ok(SignInDocument, { input: { email, password: PASSWORD, deviceName: `${label}'s TV`, deviceType: "TV" } })).signIn;
  const profile = (await ok(CreateProfileDocument, { input: { name: `${label}` } }, signedIn.accessToken)).createProfile;
  const plans = (await ok(PlansDocument, {})).plans;
  const plan = plans.find((candidate) => candidate.maxStreams >= 4) ?? plans[0];
  if (!plan) throw new Error("no plan to subscribe to");
  await ok(SubscribeDocument, { input: { planId: plan.id } }, signedIn.accessToken);
  return { token: signedIn.accessToken, userId: signUp.user.id, profileId: profile.id, name: profile.name };
}

interface Listener<T> {
  events: T[];
  connected: number;
  errors: unknown[];
  /** Closes the client (no reconnects after). */
  dispose(): Promise<void>;
  waitFor(predicate: (events: T[]) => boolean, what: string, timeoutMs?: number): Promise<void>;
}

/** A graphql-ws client that reconnects (and so resubscribes) as the web and TV clients do. */
function listen<T>(url: string, token: string, document: DocumentNode, variables: Record<string, unknown>, field: string): Listener<T> {
  const listener: Listener<T> = {
    events: [],
    connected: 0,
    errors: [],
    dispose: async () => undefined,
    waitFor: (predicate, what, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        const timer = setInterval(() => {
          if (predicate(listener.events)) {
            clearInterval(timer);
            resolve();
          } else if (Date.now() - started > timeoutMs || listener.errors.length > 0) {
            clearInterval(timer);
            reject(new Error(`timed out waiting for ${what} (${listener.events.length} events, errors: ${JSON.stringify(listener.errors)})`));
          }
        }, 20);
      }),
  };
  const ws = createWsClient({
    url: url.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 50,
    shouldRetry: () => true,
    retryWait: () => new Promise((resolve) => setTimeout(resolve, 100)),
    on: { connected: () => (listener.connected += 1) },
  });
  wsClients.push(ws);
  // dispose() rejects with the close event when the lazy connection had just closed: nothing is left to close then.
  listener.dispose = () => Promise.resolve(ws.dispose()).catch(() => undefined);
  ws.subscribe<Record<string, T>>(
    { query: print(document), variables },
    {
      next: (result) => {
        if (result.errors) listener.errors.push(result.errors);
        const value = result.data?.[field];
        if (value) listener.events.push(value);
      },
      error: (error) => listener.errors.push(error),
      complete: () => undefined,
    },
  );
  return listener;
}

function figures(title: string): void {
  const rows = replicas.instances.map((instance) => ({
    instance: instance.id,
    requests: instance.requests,
    "events claimed": instance.service === "analytics" || instance.service === "notification" ? instance.eventsClaimed : "",
    state: instance.running ? "running" : "replaced",
  }));
  console.log(`\n${title}`);
  console.table(rows);
}

beforeAll(async () => {
  database = await createTestDatabase({ seeded: true });
  redis = await startTestRedis();
  replicas = await startReplicas({
    databaseUrl: database.url,
    config: { LOG_LEVEL: "error", REDIS_URL: redis.url },
    subgraphs: definitions,
    replicas: 2,
    gateways: 2,
  });
  client = replicas.client;
  const film = await database.db.content.findFirstOrThrow({
    where: { type: "MOVIE", maturityRating: "G", publishedAt: { not: null }, videoFiles: { some: {} } },
    orderBy: { id: "asc" },
    select: { id: true, title: true },
  });
  filmId = film.id;
  filmTitle = film.title;
});

afterAll(async () => {
  await Promise.all(wsClients.map((ws) => Promise.resolve(ws.dispose()).catch(() => undefined)));
  await replicas?.stop();
  await redis?.stop();
  await database?.drop();
});

describe("two gateways and two instances of every subgraph", () => {
  let host: Member;
  let guest: Member;
  let partyId = "";

  it("serve the contract's operations through the balancers, every instance taking its share", async () => {
    [host, guest] = [await newMember("host"), await newMember("guest")];
    const token = host.token;
    const profileId = host.profileId;

    expect((await ok(MeDocument, {}, token)).me?.profiles.map((profile) => profile.id)).toContain(profileId);
    const page = (await ok(BrowseDocument, { first: 5 }, token)).browse;
    expect(page.edges).toHaveLength(5);
    expect((await ok(SearchDocument, { query: filmTitle, first: 5, profileId }, token)).search.length).toBeGreaterThan(0);
    expect((await ok(ContentDetailsDocument, { id: filmId, profileId }, token)).content?.id).toBe(filmId);
    await ok(AddToWatchlistDocument, { profileId, contentId: filmId }, token);
    expect((await ok(WatchlistDocument, { profileId }, token)).profile?.watchlist?.map((entry) => entry.content?.id)).toContain(filmId);

    const session = (await ok(StartPlaybackDocument, { input: { profileId, contentId: filmId } }, token)).startPlayback;
    await ok(ReportProgressDocument, { input: { sessionId: session.id, positionSeconds: 120, event: "HEARTBEAT" } }, token);
    await ok(ReportProgressDocument, { input: { sessionId: session.id, positionSeconds: 240, event: "STOP" } }, token);
    expect((await ok(ContinueWatchingDocument, { profileId }, token)).continueWatching.map((entry) => entry.content.id)).toContain(filmId);
    await ok(RateContentDocument, { input: { profileId, contentId: filmId, rating: 5, body: "Seen twice, on two instances." } }, token);
    expect((await ok(TvHomeDocument, { profileId }, token)).profile?.id).toBe(profileId);
    await ok(TrendingDocument, { first: 10 }, token);
    await ok(ViewingStatsDocument, { profileId }, token);
    await ok(BillingHistoryDocument, {}, token);
    await ok(OpenSupportTicketDocument, { input: { subject: "Replicas", message: "Does every instance answer?" } }, token);
    expect((await ok(SupportTicketsDocument, {}, token)).supportTickets).toHaveLength(1);
    await ok(NotificationsDocument, { first: 10 }, token);

    const party = (await ok(CreatePartyWatchDocument, { input: { profileId, contentId: filmId } }, token)).createPartyWatch;
    partyId = party.id;
    await ok(JoinPartyWatchDocument, { inviteCode: party.inviteCode, profileId: guest.profileId }, guest.token);

    // Enough traffic that every instance is reached (the balancers hand out connections in turn).
    for (let round = 0; round < 12; round += 1) {
      await Promise.all([
        ok(BrowseDocument, { first: 3 }, token),
        ok(TvHomeDocument, { profileId }, token),
        ok(TrendingDocument, { first: 3 }, token),
        ok(NotificationsDocument, { first: 3 }, token),
        ok(BillingHistoryDocument, {}, token),
        ok(SupportTicketsDocument, {}, token),
        ok(SendPartyMessageDocument, { sessionId: partyId, text: `warm-up ${round}` }, token),
      ]);
    }
    figures("Requests per instance after the journey");
    for (const instance of replicas.instances) expect(instance.requests, `${instance.id} served nothing`).toBeGreaterThan(0);
  });

  it("deliver every party message to members on different gateways, whichever social instance sent it", async () => {
    const [gatewayOne, gatewayTwo] = replicas.running("gateway");
    const socials = replicas.running("social");
    if (!gatewayOne || !gatewayTwo || socials.length !== 2) throw new Error("expected two gateways and two social instances");
    // The host's socket on gateway 1, the guest's on gateway 2 (an ingress would place them so).
    const onOne = listen<{ text: string }>(gatewayOne.url, host.token, PartyMessagesDocument, { sessionId: partyId }, "partyMessageAdded");
    const onTwo = listen<{ text: string }>(gatewayTwo.url, guest.token, PartyMessagesDocument, { sessionId: partyId }, "partyMessageAdded");
    // Subscribed once each has received a first message (sent until then: a subscription is not acknowledged).
    for (let attempt = 0; onOne.events.length === 0 || onTwo.events.length === 0; attempt += 1) {
      if (attempt > 100) throw new Error("the subscriptions never started");
      await ok(SendPartyMessageDocument, { sessionId: partyId, text: `hello ${attempt}` }, host.token);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    // Sent through each gateway, the ingress, and straight to each social instance as a gateway would call it.
    const texts: string[] = [];
    const viaGateway = [createClient(gatewayOne.url), createClient(gatewayTwo.url), client];
    for (let i = 0; i < 12; i += 1) {
      const text = `message ${i}`;
      texts.push(text);
      const sender = i % 2 === 0 ? host : guest;
      if (i % 4 < 3) {
        await ok(SendPartyMessageDocument, { sessionId: partyId, text }, sender.token, viaGateway[i % 3]);
      } else {
        const social = socials[Math.floor(i / 4) % 2];
        // Straight to one social instance, signed as the gateway signs: over this exact body.
        const body = JSON.stringify({ query: SEND_DIRECT, variables: { sessionId: partyId, text } });
        const identity = { userId: sender.userId, role: "USER" as const, deviceId: null };
        const response = await fetch(social?.url ?? "", {
          method: "POST",
          headers: { "content-type": "application/json", ...signIdentityHeaders(identity, replicas.config.GATEWAY_SHARED_SECRET, { body }) },
          body,
        });
        const result = (await response.json()) as GraphQLResult;
        expect(result.errors).toBeUndefined();
      }
    }
    const received = (listener: Listener<{ text: string }>) => listener.events.map((event) => event.text).filter((text) => texts.includes(text));
    await onOne.waitFor(() => received(onOne).length === texts.length, "every message on gateway 1");
    await onTwo.waitFor(() => received(onTwo).length === texts.length, "every message on gateway 2");
    expect(received(onOne)).toEqual(texts);
    expect(received(onTwo)).toEqual(texts);
    // Their gateways are replaced in the rolling restart below; these two clients are done.
    await Promise.all([onOne.dispose(), onTwo.dispose()]);
  });

  it("apply each event once per consumer service, though two instances of each consume", async () => {
    // A few more playback events, from several sessions (aggregates), for the two analytics instances to share.
    for (const member of [host, guest]) {
      const session = (await ok(StartPlaybackDocument, { input: { profileId: member.profileId, contentId: filmId } }, member.token)).startPlayback;
      for (let position = 30; position <= 150; position += 30) {
        await ok(ReportProgressDocument, { input: { sessionId: session.id, positionSeconds: position, event: "HEARTBEAT" } }, member.token);
      }
      await ok(ReportProgressDocument, { input: { sessionId: session.id, positionSeconds: 180, event: "STOP" } }, member.token);
    }
    // And a few more parties: PartyWatchStarted events for the two notification instances.
    for (const member of [host, guest, host, guest]) {
      await ok(CreatePartyWatchDocument, { input: { profileId: member.profileId, contentId: filmId } }, member.token);
    }
    const services = microservicesConfig().services;
    for (const service of ["analytics", "notification"] as const) {
      const types = [...services[service].consumes];
      await expect
        .poll(
          async () =>
            Number(
              (
                await database.db.$queryRaw<{ n: bigint }[]>`
                  SELECT count(*) AS n FROM service_events WHERE event_type = ANY(${types}) AND NOT (${service} = ANY(processed_by))`
              )[0]?.n,
            ),
          { timeout: 30_000, interval: 200 },
        )
        .toBe(0);
      const [counts] = await database.db.$queryRaw<{ events: bigint; twice: bigint }[]>`
        SELECT count(*) AS events, count(*) FILTER (WHERE cardinality(array_positions(processed_by, ${service})) <> 1) AS twice
        FROM service_events WHERE event_type = ANY(${types})`;
      const events = Number(counts?.events);
      const claimed = replicas.instances.filter((instance) => instance.service === service).map((instance) => instance.eventsClaimed);
      console.log(`${service}: ${events} events of ${types.join(", ")}; claimed per instance ${claimed.join(" + ")}`);
      expect(events).toBeGreaterThan(0);
      expect(Number(counts?.twice)).toBe(0);
      // Claimed exactly once in all: no instance applied an event another one had.
      expect(claimed.reduce((sum, n) => sum + n, 0)).toBe(events);
    }
  });

  it("roll every service one instance at a time under steady load without failing a request or losing a subscription", async () => {
    const sessions = await Promise.all(
      [host, guest].map(async (member) => ({
        member,
        sessionId: (await ok(StartPlaybackDocument, { input: { profileId: member.profileId, contentId: filmId } }, member.token)).startPlayback.id,
      })),
    );
    // Both members listen through the ingress, reconnecting as clients do.
    const listeners = [host, guest].map((member) =>
      listen<{ text: string }>(replicas.url, member.token, PartyMessagesDocument, { sessionId: partyId }, "partyMessageAdded"),
    );
    for (let attempt = 0; listeners.some((listener) => listener.events.length === 0); attempt += 1) {
      if (attempt > 100) throw new Error("the subscriptions never started");
      await ok(SendPartyMessageDocument, { sessionId: partyId, text: `before the restart ${attempt}` }, host.token);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    // Steady load: 8 clients looping over queries and mutations of six subgraphs until the restart is over.
    const load = { sent: 0, failed: 0, failures: [] as string[], messagesSent: 0, running: true };
    const steps: ((i: number) => Promise<GraphQLResult>)[] = [
      () => client.request(BrowseDocument, { first: 5 }, { token: host.token, operationName: "Browse" }),
      () => client.request(TvHomeDocument, { profileId: host.profileId }, { token: host.token, operationName: "TvHome" }),
      (i) => client.request(ReportProgressDocument, { input: { sessionId: sessions[i % 2]?.sessionId ?? "", positionSeconds: 10 + (i % 500), event: "HEARTBEAT" } }, { token: sessions[i % 2]?.member.token, operationName: "ReportProgress" }),
      () => client.request(TrendingDocument, { first: 5 }, { token: guest.token, operationName: "Trending" }),
      (i) => {
        load.messagesSent += 1;
        return client.request(SendPartyMessageDocument, { sessionId: partyId, text: `during the restart ${i}` }, { token: guest.token, operationName: "SendPartyMessage" });
      },
      () => client.request(NotificationsDocument, { first: 5 }, { token: guest.token, operationName: "Notifications" }),
      (i) =>
        i % 2 === 0
          ? client.request(AddToWatchlistDocument, { profileId: guest.profileId, contentId: filmId }, { token: guest.token, operationName: "AddToWatchlist" })
          : client.request(RemoveFromWatchlistDocument, { profileId: guest.profileId, contentId: filmId }, { token: guest.token, operationName: "RemoveFromWatchlist" }),
      () => client.request(BillingHistoryDocument, {}, { token: host.token, operationName: "BillingHistory" }),
    ];
    const worker = async (offset: number) => {
      for (let i = offset; load.running; i += 1) {
        const step = steps[i % steps.length];
        if (!step) continue;
        load.sent += 1;
        try {
          const result = await step(i);
          if (result.errors?.length || !result.data) {
            load.failed += 1;
            load.failures.push(JSON.stringify(result.errors ?? result));
          }
        } catch (error) {
          load.failed += 1;
          load.failures.push(error instanceof Error ? `${error.message} ${String((error as { cause?: unknown }).cause ?? "")}` : String(error));
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, offset) => worker(offset));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = load.sent;

    const started = Date.now();
    // Every Deployment rolls at once, each one instance at a time.
    await Promise.all(["gateway", ...SUBGRAPHS].map((service) => replicas.rollingRestart(service)));
    const restartMs = Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 500));
    load.running = false;
    await Promise.all(workers);

    // The subscriptions are back: every listener gets what is sent now.
    const after = ["after the restart 1", "after the restart 2", "after the restart 3"];
    for (const text of after) await ok(SendPartyMessageDocument, { sessionId: partyId, text }, host.token);
    for (const listener of listeners) {
      await listener.waitFor((events) => after.every((text) => events.some((event) => event.text === text)), "the messages sent after the restart");
    }

    figures("Requests per instance, after the rolling restart (the first two of each service were replaced)");
    const during = listeners.map((listener) => listener.events.filter((event) => event.text.startsWith("during the restart")).length);
    console.log(
      `rolling restart of ${replicas.instances.filter((instance) => !instance.running).length} instances in ${(restartMs / 1000).toFixed(1)} s under load: ` +
        `${load.sent - before} requests during it, ${load.sent} in all, failed requests: ${load.failed}; ` +
        `party messages sent under load ${load.messagesSent}, received by each listener ${during.join(" / ")}; ` +
        `WebSocket (re)connections per listener ${listeners.map((listener) => listener.connected).join(" / ")}`,
    );
    expect(load.failures.slice(0, 5)).toEqual([]);
    expect(load.failed).toBe(0);
    expect(replicas.running("gateway").every((instance) => instance.id !== "gateway-1" && instance.id !== "gateway-2")).toBe(true);
    // Each listener's gateway was replaced: it reconnected, and its subscription resumed.
    for (const listener of listeners) {
      expect(listener.connected).toBeGreaterThanOrEqual(2);
      expect(listener.errors).toEqual([]);
    }
  });
});
