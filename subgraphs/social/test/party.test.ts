// Party watch through the real gateways: three members on two social instances (behind two gateways), live
// chat and playback sync over graphql-ws, Redis carrying events between instances.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "graphql-ws";
import type WebSocket from "ws";
import { Redis } from "ioredis";
import { issueAccessToken } from "@watchflixx/common";
import { codeOf } from "@watchflixx/testing";
import {
  CONTROL,
  CREATE_PARTY,
  JOIN_PARTY,
  LEAVE_PARTY,
  PARTY_MESSAGES,
  PARTY_SYNC,
  SEND_MESSAGE,
  startPartyWorld,
  subscribe,
  untilLive,
  waitUntil,
  wsClient,
  type Member,
  type PartyWorld,
} from "./support.ts";

interface MessageEvent {
  id: string;
  text: string;
  sender: { id: string; name: string };
}
interface SyncEvent {
  action: string;
  positionSeconds: number;
  by: { id: string; name: string };
}

describe("party watch across instances", () => {
  let world: PartyWorld;
  let host: Member;
  let guest: Member;
  let third: Member;
  let sessionId: string;
  let inviteCode: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    world = await startPartyWorld();
    [host, guest, third] = await Promise.all([world.newMember("host"), world.newMember("guest"), world.newMember("third")]);
    const created = await world.a.gql(CREATE_PARTY, { input: { profileId: host.profileId, contentId: world.contentId } }, { token: host.token });
    expect(created.errors).toBeUndefined();
    sessionId = created.data.createPartyWatch.id;
    inviteCode = created.data.createPartyWatch.inviteCode;
    expect(inviteCode).toMatch(/^[A-HJ-KMNP-Z2-9]{8}$/);
    expect(created.data.createPartyWatch.host).toEqual({ id: host.profileId, name: host.profileName });
    expect(created.data.createPartyWatch.members).toEqual([{ profile: { id: host.profileId, name: host.profileName }, role: "HOST" }]);

    // The guest joins through gateway B (social instance 2), the third member through gateway A.
    const joined = await world.b.client.request(JOIN_PARTY, { inviteCode: inviteCode.toLowerCase(), profileId: guest.profileId }, { token: guest.token });
    expect(joined.errors).toBeUndefined();
    expect(joined.data.joinPartyWatch.members).toHaveLength(2);
    const joined3 = await world.a.gql(JOIN_PARTY, { inviteCode, profileId: third.profileId }, { token: third.token });
    expect(joined3.errors).toBeUndefined();
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await world?.stop();
  });

  function client(on: "a" | "b" | "c", member: Member | null, options: { sockets?: WebSocket[]; retry?: boolean } = {}): Client {
    const url = on === "a" ? world.a.url : on === "b" ? world.b.gateway.url : world.c.gateway.url;
    const c = wsClient(url, member?.token ?? null, options);
    clients.push(c);
    return c;
  }

  it("delivers every chat message and sync event to every member exactly once, in order", async () => {
    // Host and third member: one gateway (C) in front of BOTH social instances (round-robin). Guest: gateway B.
    const hostClient = client("c", host);
    const guestClient = client("b", guest);
    const thirdClient = client("c", third);
    const messages = [hostClient, guestClient, thirdClient].map((c) => subscribe<MessageEvent>(c, PARTY_MESSAGES, { sessionId }, "partyMessageAdded"));
    const syncs = [hostClient, guestClient, thirdClient].map((c) => subscribe<SyncEvent>(c, PARTY_SYNC, { sessionId }, "partySync"));
    await waitUntil(subscribersReady, 10_000, "subscriptions to start");
    const probe = (attempt: number) => `probe ${attempt}`;
    await untilLive(
      messages,
      async (attempt) => expect((await world.b.client.request(SEND_MESSAGE, { sessionId, text: probe(attempt) }, { token: guest.token })).errors).toBeUndefined(),
      (event, attempt) => event.text === probe(attempt),
    );
    await untilLive(
      syncs,
      async (attempt) => expect((await world.c.client.request(CONTROL, { input: { sessionId, action: "SEEK", positionSeconds: attempt } }, { token: host.token })).errors).toBeUndefined(),
      (event, attempt) => event.action === "SEEK" && event.positionSeconds === attempt,
    );

    // Messages go through gateway C, whose load balancer alternates the two social instances, and gateway B.
    const servedBefore = [...world.c.proxy.served.values()];
    const senders: Array<[Member, "b" | "c"]> = [
      [host, "c"],
      [guest, "b"],
      [third, "c"],
      [guest, "b"],
      [host, "c"],
      [third, "c"],
    ];
    for (const [index, [member, via]] of senders.entries()) {
      const request = via === "c" ? world.c.client.request : world.b.client.request;
      const sent = await request(SEND_MESSAGE, { sessionId, text: `message ${index}` }, { token: member.token });
      expect(sent.errors).toBeUndefined();
      expect(sent.data.sendPartyMessage.sender).toEqual({ id: member.profileId, name: member.profileName });
    }
    for (const [position, action] of [[10, "PLAY"], [42, "SEEK"], [50, "PAUSE"]] as const) {
      const control = await world.c.client.request(CONTROL, { input: { sessionId, action, positionSeconds: position } }, { token: host.token });
      expect(control.errors).toBeUndefined();
    }
    // Both instances behind gateway C did serve requests.
    const servedAfter = [...world.c.proxy.served.values()];
    expect(servedAfter.every((count, i) => count > (servedBefore[i] ?? 0))).toBe(true);

    const stored = await world.database.db.partyWatchMessage.findMany({ where: { sessionId, text: { startsWith: "message " } }, orderBy: { createdAt: "asc" } });
    for (const subscription of messages) {
      const events = await subscription.waitFor(6);
      expect(subscription.errors).toEqual([]);
      expect(events.map((e) => e.text)).toEqual(senders.map((_, i) => `message ${i}`));
      expect(events.map((e) => e.id)).toEqual(stored.map((m) => m.id));
      // The sender's name comes from the auth subgraph, resolved by the gateway per event.
      expect(events.map((e) => e.sender.name)).toEqual(senders.map(([m]) => m.profileName));
    }
    for (const subscription of syncs) {
      const events = await subscription.waitFor(3);
      expect(events.map((e) => [e.action, e.positionSeconds])).toEqual([["PLAY", 10], ["SEEK", 42], ["PAUSE", 50]]);
      expect(events.every((e) => e.by.name === host.profileName)).toBe(true);
    }
    // Nothing arrives twice.
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const subscription of messages) expect(subscription.events).toHaveLength(6);
    for (const subscription of syncs) expect(subscription.events).toHaveLength(3);
    for (const s of [...messages, ...syncs]) s.unsubscribe();

    function subscribersReady(): boolean {
      return (world.c.gateway.subscriptions?.stats().clients ?? 0) >= 4 && (world.b.gateway.subscriptions?.stats().clients ?? 0) >= 2;
    }
  });

  it("the late joiner's session state carries the server time of the last control", async () => {
    const party = await world.database.db.partyWatchSession.findUniqueOrThrow({ where: { id: sessionId } });
    expect(party.state).toBe("PAUSED");
    expect(party.positionSeconds).toBe(50);
    expect(party.stateUpdatedAt.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it("refuses a non-member's subscription with FORBIDDEN", async () => {
    const outsider = await world.newMember("outsider");
    const subscription = subscribe<MessageEvent>(client("a", outsider), PARTY_MESSAGES, { sessionId }, "partyMessageAdded");
    await subscription.ended();
    expect(JSON.stringify(subscription.errors)).toContain("FORBIDDEN");
  });

  it("lets only the host control playback", async () => {
    const result = await world.a.gql(CONTROL, { input: { sessionId, action: "PLAY", positionSeconds: 5 } }, { token: guest.token });
    expect(codeOf(result)).toBe("FORBIDDEN");
  });

  it("checks chat messages: 1 to 500 characters, 5 per 5 seconds", async () => {
    expect(codeOf(await world.a.gql(SEND_MESSAGE, { sessionId, text: "   " }, { token: third.token }))).toBe("BAD_USER_INPUT");
    expect(codeOf(await world.a.gql(SEND_MESSAGE, { sessionId, text: "x".repeat(501) }, { token: third.token }))).toBe("BAD_USER_INPUT");
    const before = await world.database.db.partyWatchMessage.count({ where: { sessionId } });
    const results = [];
    for (let i = 0; i < 6; i += 1) results.push(await world.a.gql(SEND_MESSAGE, { sessionId, text: `burst ${i}` }, { token: third.token }));
    const limited = results.filter((r) => codeOf(r) === "RATE_LIMITED");
    expect(limited.length).toBeGreaterThanOrEqual(1);
    const after = await world.database.db.partyWatchMessage.count({ where: { sessionId } });
    expect(after - before).toBe(results.length - limited.length);
  });

  it("shares one upstream subscription and one entity fetch per event among many subscribers", async () => {
    const subscribers = Array.from({ length: 100 }, () => subscribe<MessageEvent>(client("a", host), PARTY_MESSAGES, { sessionId }, "partyMessageAdded"));
    const engine = world.a.gateway.subscriptions;
    if (!engine) throw new Error("the gateway serves no subscriptions");
    await waitUntil(() => engine.stats().clients >= 100, 20_000, "100 subscribers");
    const opened = engine.stats().upstreamsOpened;
    expect(engine.stats().activeUpstreams).toBe(1);

    const entityCallsBefore = world.authEntityCalls();
    for (let i = 0; i < 3; i += 1) {
      const sent = await world.a.gql(SEND_MESSAGE, { sessionId, text: `to everyone ${i}` }, { token: host.token });
      expect(sent.errors).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 1100)); // stay under the chat rate limit
    }
    for (const s of subscribers) expect((await s.waitFor(3, 20_000)).map((e) => e.text)).toEqual(["to everyone 0", "to everyone 1", "to everyone 2"]);
    // One `_entities` call per event (for `sender { name }`) plus one per mutation response, whatever the audience.
    expect(world.authEntityCalls() - entityCallsBefore).toBe(6);
    expect(engine.stats().upstreamsOpened).toBe(opened);
    for (const s of subscribers) s.unsubscribe();
    await waitUntil(() => engine.stats().activeUpstreams === 0, 10_000, "the shared upstream to close");
  });

  it("frees Redis subscriptions after 100 subscribe/unsubscribe cycles", async () => {
    const redis = new Redis(world.a.config.REDIS_URL);
    const channel = `watchflixx:party:${sessionId}:messages`;
    const engine = world.a.gateway.subscriptions;
    if (!engine) throw new Error("the gateway serves no subscriptions");
    try {
      const c = client("a", host);
      for (let i = 0; i < 100; i += 1) {
        const s = subscribe<MessageEvent>(c, PARTY_MESSAGES, { sessionId }, "partyMessageAdded");
        await waitUntil(() => engine.stats().clients >= 1, 5000, "the subscription");
        s.unsubscribe();
        await waitUntil(() => engine.stats().clients === 0, 5000, "the unsubscription");
      }
      await waitUntil(() => engine.stats().activeUpstreams === 0, 5000, "upstreams to close");
      await c.dispose();
      let listeners = -1;
      await waitUntil(() => listeners === 0, 10_000, "Redis listeners to go").catch(() => undefined);
      for (let attempt = 0; attempt < 50; attempt += 1) {
        const [, count] = (await redis.pubsub("NUMSUB", channel)) as [string, number];
        listeners = Number(count);
        if (listeners === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(listeners).toBe(0);
    } finally {
      redis.disconnect();
    }
  });

  it("resumes delivery after the client's connection drops and reconnects", async () => {
    const sockets: WebSocket[] = [];
    const c = client("a", third, { sockets, retry: true });
    const subscription = subscribe<MessageEvent>(c, PARTY_MESSAGES, { sessionId }, "partyMessageAdded");
    await waitUntil(() => sockets.length === 1 && sockets[0]?.readyState === 1, 5000, "the connection");
    await new Promise((resolve) => setTimeout(resolve, 200));
    sockets[0]?.terminate();
    await waitUntil(() => sockets.length === 2 && sockets[1]?.readyState === 1, 10_000, "the reconnection");
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sent = await world.a.gql(SEND_MESSAGE, { sessionId, text: "after the drop" }, { token: host.token });
    expect(sent.errors).toBeUndefined();
    const events = await subscription.waitFor(1);
    expect(events.map((e) => e.text)).toContain("after the drop");
    subscription.unsubscribe();
  });

  it("stops a member's events when they leave, and hands the host role on", async () => {
    const guestSubscription = subscribe<MessageEvent>(client("b", guest), PARTY_MESSAGES, { sessionId }, "partyMessageAdded");
    const thirdSubscription = subscribe<MessageEvent>(client("a", third), PARTY_MESSAGES, { sessionId }, "partyMessageAdded");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await world.b.client.request(LEAVE_PARTY, { sessionId }, { token: guest.token })).data.leavePartyWatch).toBe(true);
    expect((await world.b.client.request(LEAVE_PARTY, { sessionId }, { token: guest.token })).data.leavePartyWatch).toBe(false);
    await guestSubscription.ended();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await world.a.gql(SEND_MESSAGE, { sessionId, text: "after guest left" }, { token: host.token });
    await thirdSubscription.waitFor(1);
    expect(guestSubscription.events.map((e) => e.text)).not.toContain("after guest left");

    // The host leaves: the longest-present member (third) becomes host; when the last leaves, the party ends.
    await world.a.gql(LEAVE_PARTY, { sessionId }, { token: host.token });
    const members = await world.database.db.partyWatchMember.findMany({ where: { sessionId, leftAt: null } });
    expect(members.map((m) => [m.profileId, m.role])).toEqual([[third.profileId, "HOST"]]);
    const control = await world.a.gql(CONTROL, { input: { sessionId, action: "PLAY", positionSeconds: 60 } }, { token: third.token });
    expect(control.errors).toBeUndefined();
    await world.a.gql(LEAVE_PARTY, { sessionId }, { token: third.token });
    const party = await world.database.db.partyWatchSession.findUniqueOrThrow({ where: { id: sessionId } });
    expect(party.state).toBe("ENDED");
    const rejoin = await world.a.gql(JOIN_PARTY, { inviteCode, profileId: guest.profileId }, { token: guest.token });
    expect(codeOf(rejoin)).toBe("CONFLICT");
    thirdSubscription.unsubscribe();
  });
});

describe("party limits and socket authentication", () => {
  let world: PartyWorld;

  beforeAll(async () => {
    world = await startPartyWorld({ maxMembers: 2, chatLimit: { messages: 5, windowMs: 5000 } });
  });
  afterAll(async () => world?.stop());

  it("refuses to join a full party, clearly", async () => {
    const [host, second, third] = await Promise.all([world.newMember("h"), world.newMember("s"), world.newMember("t")]);
    const created = await world.a.gql(CREATE_PARTY, { input: { profileId: host.profileId, contentId: world.contentId } }, { token: host.token });
    const code = created.data.createPartyWatch.inviteCode;
    expect((await world.a.gql(JOIN_PARTY, { inviteCode: code, profileId: second.profileId }, { token: second.token })).errors).toBeUndefined();
    const full = await world.a.gql(JOIN_PARTY, { inviteCode: code, profileId: third.profileId }, { token: third.token });
    expect(codeOf(full)).toBe("FORBIDDEN");
    expect(full.errors?.[0]?.message).toMatch(/full/);
    // Someone else's profile cannot be used to join.
    expect(codeOf(await world.a.gql(JOIN_PARTY, { inviteCode: code, profileId: host.profileId }, { token: third.token }))).toBe("NOT_FOUND");
    expect(codeOf(await world.a.gql(JOIN_PARTY, { inviteCode: "ZZZZZZZZ", profileId: third.profileId }, { token: third.token }))).toBe("NOT_FOUND");
  });

  it("refuses a party on a title above the profile's maturity limit: FORBIDDEN, reason MATURITY_LIMIT", async () => {
    const member = await world.newMember("family");
    const kids = await world.a.gql(`mutation ($input: CreateProfileInput!) { createProfile(input: $input) { id } }`, { input: { name: "Little one", isKids: true } }, { token: member.token });
    expect(kids.errors).toBeUndefined();
    const film = await world.database.db.content.findFirstOrThrow({ where: { type: "MOVIE", maturityRating: "R", publishedAt: { not: null } }, select: { id: true } });
    const refused = await world.a.gql(CREATE_PARTY, { input: { profileId: kids.data.createProfile.id, contentId: film.id } }, { token: member.token });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", reason: "MATURITY_LIMIT" });
    expect(await world.database.db.partyWatchSession.count({ where: { hostProfileId: kids.data.createProfile.id } })).toBe(0);
  });

  it("refuses a party for a viewer without a subscription", async () => {
    const member = await world.newMember("unpaid");
    await world.database.db.subscription.deleteMany({ where: { userId: member.userId } });
    const created = await world.a.gql(CREATE_PARTY, { input: { profileId: member.profileId, contentId: world.contentId } }, { token: member.token });
    expect(codeOf(created)).toBe("PAYMENT_REQUIRED");
  });

  it("closes the socket with 4401 without a token, 4403 with a forged one", async () => {
    const closeCode = (token: string | null) =>
      new Promise<number>((resolve) => {
        const c = wsClient(world.a.url, token);
        c.on("closed", (event) => {
          resolve((event as { code: number }).code);
          Promise.resolve(c.dispose()).catch(() => undefined);
        });
        c.subscribe({ query: PARTY_SYNC, variables: { sessionId: "x" } }, { next: () => undefined, error: () => undefined, complete: () => undefined });
      });
    expect(await closeCode(null)).toBe(4401);
    expect(await closeCode("not-a-jwt")).toBe(4403);
    const member = await world.newMember("expired");
    const identity = { userId: member.userId, role: "USER" as const, deviceId: null };
    const expired = await issueAccessToken(identity, world.a.config.JWT_ACCESS_SECRET, Date.now() - 16 * 60 * 1000);
    expect(await closeCode(expired)).toBe(4401);
  });

  it("closes a live socket with 4401 when its token expires; a fresh token resumes the party", async () => {
    const member = await world.newMember("short-lived");
    const created = await world.a.gql(CREATE_PARTY, { input: { profileId: member.profileId, contentId: world.contentId } }, { token: member.token });
    expect(created.errors).toBeUndefined();
    const partyId = created.data.createPartyWatch.id;
    // Issued 14 min 58 s ago: about two seconds of its 15 minutes left.
    const identity = { userId: member.userId, role: "USER" as const, deviceId: null };
    const shortLived = await issueAccessToken(identity, world.a.config.JWT_ACCESS_SECRET, Date.now() - (15 * 60 - 2) * 1000);
    const closes: number[] = [];
    const expiring = wsClient(world.a.url, shortLived);
    expiring.on("closed", (event) => closes.push((event as { code: number }).code));
    const before = subscribe<MessageEvent>(expiring, PARTY_MESSAGES, { sessionId: partyId }, "partyMessageAdded");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await world.a.gql(SEND_MESSAGE, { sessionId: partyId, text: "while valid" }, { token: member.token })).errors).toBeUndefined();
    expect((await before.waitFor(1)).map((e) => e.text)).toEqual(["while valid"]);

    await before.ended(5_000);
    expect(closes).toEqual([4401]);
    expect(before.errors).toHaveLength(1);

    const renewed = wsClient(world.a.url, member.token);
    const after = subscribe<MessageEvent>(renewed, PARTY_MESSAGES, { sessionId: partyId }, "partyMessageAdded");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await world.a.gql(SEND_MESSAGE, { sessionId: partyId, text: "after renewal" }, { token: member.token })).errors).toBeUndefined();
    expect((await after.waitFor(1)).map((e) => e.text)).toEqual(["after renewal"]);
    expect(before.events.map((e) => e.text)).toEqual(["while valid"]);
    after.unsubscribe();
    await Promise.all([expiring.dispose(), renewed.dispose()]);
  });
});
