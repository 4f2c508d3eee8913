// The contract's subscriptions (PartyMessages, PartySync, NotificationAdded) over graphql-ws through the
// gateway, at the same path as HTTP, authenticated with `connectionParams: { authorization: "Bearer <token>" }`,
// each operation sent as its file spells it (the whole file, `operationName` picking one).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "graphql-ws";
import type { GraphQLResult } from "@watchflixx/testing";
import { contractOperation } from "./contract.ts";
import { pickTitles } from "./fixtures.ts";
import { DEMO_PASSWORD, leaksOf, ok, PASSWORD, startWorld, uniqueEmail, type ContractClient, type World } from "./support.ts";

let world: World;
let client: ContractClient;
const sockets: Client[] = [];

interface Member {
  token: string;
  profileId: string;
  name: string;
}
let host: Member;
let guest: Member;
let stranger: Member;
let partyId = "";

async function newMember(name: string, subscribe: boolean): Promise<Member> {
  const token = ok(await client.run("SignUp", { input: { email: uniqueEmail(name.toLowerCase()), password: PASSWORD, name } })).signUp.accessToken;
  const profile = ok(await client.run("CreateProfile", { input: { name } }, token)).createProfile;
  if (subscribe) {
    const plans = ok(await client.run("Plans")).plans;
    ok(await client.run("Subscribe", { input: { planId: plans[plans.length - 1].id } }, token));
  }
  return { token, profileId: profile.id, name };
}

beforeAll(async () => {
  world = await startWorld();
  client = world.client;
  const titles = await pickTitles(world.database.db);
  host = await newMember("Host", true);
  guest = await newMember("Guest", true);
  stranger = await newMember("Stranger", true);
  const party = ok(await client.run("CreatePartyWatch", { input: { profileId: host.profileId, contentId: titles.familyFilm.id } }, host.token)).createPartyWatch;
  partyId = party.id;
  ok(await client.run("JoinPartyWatch", { inviteCode: party.inviteCode, profileId: guest.profileId }, guest.token));
});
afterAll(async () => {
  await Promise.all(sockets.map((socket) => socket.dispose()));
  await world?.stop();
});

// ---------------------------------------------------------------------------------------------------------------

interface Stream {
  name: string;
  results: GraphQLResult[];
  /** Transport errors (a close event, a GraphQLError[]). */
  failures: unknown[];
  completed: boolean;
  stop(): void;
}

function socket(token: string | null): Client {
  const ws = token ? client.ws(token) : client.wsAnonymous();
  sockets.push(ws);
  return ws;
}

function listen(ws: Client, name: string, variables: Record<string, unknown> = {}): Stream {
  const { source } = contractOperation(name);
  const stream: Stream = { name, results: [], failures: [], completed: false, stop: () => undefined };
  stream.stop = ws.subscribe(
    { query: source, operationName: name, variables },
    {
      next: (result) => stream.results.push(result as GraphQLResult),
      error: (error) => stream.failures.push(error),
      complete: () => {
        stream.completed = true;
      },
    },
  );
  return stream;
}

function describeStream(stream: Stream): string {
  return JSON.stringify({ results: stream.results, failures: stream.failures.map(String), raw: stream.failures }, null, 1);
}

/** The events of a stream (its data), failing at once, with what came back, when it ended or erred. */
function events(stream: Stream, field: string): Record<string, unknown>[] {
  const problems = stream.results.filter((result) => result.errors?.length);
  if (problems.length > 0 || stream.failures.length > 0 || stream.completed) {
    throw new Error(`${stream.name} ended or failed instead of delivering events: ${describeStream(stream)}`);
  }
  return stream.results.map((result) => (result.data as Record<string, Record<string, unknown>>)[field] ?? {});
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A subscription is live some moments after it is sent (the gateway opens its upstream subscription, the
 * subgraph subscribes on Redis), and the protocol does not say when: trigger events until one arrives.
 */
async function untilLive(streams: Stream[], field: string, trigger: (attempt: number) => Promise<void>, attempts = 30): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    await trigger(attempt);
    for (let wait = 0; wait < 20; wait += 1) {
      if (streams.every((stream) => events(stream, field).length > 0)) return;
      await sleep(50);
    }
  }
  throw new Error(`no ${field} event arrived after ${attempts} tries: ${streams.map(describeStream).join("\n")}`);
}

async function until<T>(what: string, value: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = value();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function check(stream: Stream): void {
  const { source } = contractOperation(stream.name);
  for (const result of stream.results) client.inspect(stream.name, source, stream.name, result);
  for (const failure of stream.failures) client.recordError(stream.name, failure);
}

// ---------------------------------------------------------------------------------------------------------------

describe("party subscriptions through the gateway", () => {
  it("PartyMessages: every member receives a message, with its sender resolved", async () => {
    const streams = [listen(socket(host.token), "PartyMessages", { sessionId: partyId }), listen(socket(guest.token), "PartyMessages", { sessionId: partyId })];
    const senders = [host, guest];
    await untilLive(streams, "partyMessageAdded", async (attempt) => {
      ok(await client.run("SendPartyMessage", { sessionId: partyId, text: `warming up ${attempt}` }, senders[attempt % 2]?.token));
    });

    const sent = ok(await client.run("SendPartyMessage", { sessionId: partyId, text: "Lights off, it starts!" }, guest.token)).sendPartyMessage;
    for (const stream of streams) {
      const event = await until("the message", () => events(stream, "partyMessageAdded").find((item) => item.id === sent.id));
      expect(event).toEqual({ id: sent.id, text: "Lights off, it starts!", createdAt: sent.createdAt, sender: { id: guest.profileId, name: guest.name } });
      // In order: it is the last one.
      expect(events(stream, "partyMessageAdded").at(-1)).toEqual(event);
      check(stream);
      stream.stop();
    }
  });

  it("PartySync: every member receives the host's control, with who issued it", async () => {
    const streams = [listen(socket(host.token), "PartySync", { sessionId: partyId }), listen(socket(guest.token), "PartySync", { sessionId: partyId })];
    await untilLive(streams, "partySync", async (attempt) => {
      ok(await client.run("ControlPartyPlayback", { input: { sessionId: partyId, action: "PAUSE", positionSeconds: attempt } }, host.token));
    });

    const control = ok(await client.run("ControlPartyPlayback", { input: { sessionId: partyId, action: "SEEK", positionSeconds: 300 } }, host.token)).controlPartyPlayback;
    for (const stream of streams) {
      const event = await until("the seek", () => events(stream, "partySync").find((item) => item.action === "SEEK"));
      expect(event).toEqual({ sessionId: partyId, action: "SEEK", positionSeconds: 300, issuedAt: control.issuedAt, by: { id: host.profileId, name: host.name } });
      expect(events(stream, "partySync").at(-1)).toEqual(event);
      check(stream);
      stream.stop();
    }
  });

  it("stops delivering to a member who leaves", async () => {
    const hostStream = listen(socket(host.token), "PartyMessages", { sessionId: partyId });
    const guestStream = listen(socket(guest.token), "PartyMessages", { sessionId: partyId });
    await untilLive([hostStream, guestStream], "partyMessageAdded", async (attempt) => {
      ok(await client.run("SendPartyMessage", { sessionId: partyId, text: `before leaving ${attempt}` }, host.token));
    });
    expect(ok(await client.run("LeavePartyWatch", { sessionId: partyId }, guest.token)).leavePartyWatch).toBe(true);
    const sent = ok(await client.run("SendPartyMessage", { sessionId: partyId, text: "Bye, guest." }, host.token)).sendPartyMessage;
    await until("the host's copy", () => events(hostStream, "partyMessageAdded").find((item) => item.id === sent.id));
    // Whether the guest's stream was closed (revocation) or is still open, the message never reached it.
    const delivered = guestStream.results.map((result) => (result.data as { partyMessageAdded?: { id?: string } } | null | undefined)?.partyMessageAdded?.id);
    expect(delivered).not.toContain(sent.id);
    check(hostStream);
    check(guestStream);
    hostStream.stop();
    guestStream.stop();
  });

  it("refuses a non-member (FORBIDDEN) and a socket without a token", async () => {
    const outsider = listen(socket(stranger.token), "PartyMessages", { sessionId: partyId });
    await until("the refusal", () => (outsider.failures.length > 0 || outsider.results.some((result) => result.errors?.length) ? true : undefined));
    const codes = [...outsider.results.flatMap((result) => result.errors ?? []), ...outsider.failures.flatMap((failure) => (Array.isArray(failure) ? failure : []))].map(
      (error: { extensions?: { code?: unknown } }) => error.extensions?.code,
    );
    expect(codes).toContain("FORBIDDEN");
    expect(outsider.results.every((result) => !result.data)).toBe(true);
    check(outsider);

    const anonymous = listen(socket(null), "PartyMessages", { sessionId: partyId });
    await until("the anonymous socket to close", () => (anonymous.failures.length > 0 ? true : undefined));
    expect((anonymous.failures[0] as { code?: number }).code).toBe(4401);
  });
});

describe("notification subscription through the gateway", () => {
  it("NotificationAdded: an account receives its new notification (a staff reply)", async () => {
    const staff = ok(await client.run("SignIn", { input: { email: "staff@watchflixx.dev", password: DEMO_PASSWORD } })).signIn.accessToken;
    const ticket = ok(await client.run("OpenSupportTicket", { input: { subject: "Subtitles out of sync", message: "About two seconds late." } }, guest.token)).openSupportTicket;
    const reply = (body: string) =>
      client.raw("mutation ($id: ID!, $body: String!) { respondToSupportTicket(ticketId: $id, body: $body) { id } }", { id: ticket.id, body }, staff);

    const mine = listen(socket(guest.token), "NotificationAdded");
    const someoneElses = listen(socket(host.token), "NotificationAdded");
    await untilLive([mine], "notificationAdded", async (attempt) => {
      ok(await reply(`Looking into it (${attempt}).`));
    });
    ok(await reply("Fixed: please reload the player."));
    const event = await until("the reply's notification", () =>
      events(mine, "notificationAdded").find((item) => typeof item.body === "string" && item.body.includes("Fixed: please reload")),
    );
    expect(event).toEqual({ id: expect.any(String), type: "SUPPORT_REPLY", title: expect.stringContaining("Subtitles out of sync"), body: "Fixed: please reload the player.", createdAt: expect.any(String) });
    // Only the account's own notifications (the host may have its own, e.g. its party's invite).
    expect(events(someoneElses, "notificationAdded").filter((item) => item.type === "SUPPORT_REPLY")).toEqual([]);
    check(mine);
    check(someoneElses);
    mine.stop();
    someoneElses.stop();
  });
});

describe("errors over the WebSocket", () => {
  it("carry no stack trace, SQL or internals", () => {
    const leaking = client.errorsSeen.map((seen) => ({ ...seen, leaks: leaksOf(seen.error) })).filter((seen) => seen.leaks.length > 0);
    expect(leaking).toEqual([]);
  });
});
