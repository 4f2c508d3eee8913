// The contract's subscriptions (PartyMessages, PartySync, NotificationAdded) over graphql-ws through the
// gateway, at the same path as HTTP, authenticated with `connectionParams: { authorization: "Bearer <token>" }`,
// each operation sent as its typed document from @watchflixx/clients (the operation as its file spells it).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { print, type DocumentNode, type FormattedExecutionResult } from "graphql";
import type { Client } from "graphql-ws";
import {
  ControlPartyPlaybackDocument,
  CreatePartyWatchDocument,
  CreateProfileDocument,
  JoinPartyWatchDocument,
  LeavePartyWatchDocument,
  NotificationAddedDocument,
  OpenSupportTicketDocument,
  PartyMessagesDocument,
  PartySyncDocument,
  PlansDocument,
  RespondToSupportTicketDocument,
  SendPartyMessageDocument,
  SignInDocument,
  SignOutDocument,
  SignUpDocument,
  SubscribeDocument,
  type TypedDocumentNode,
} from "@watchflixx/clients";
import { operationName } from "./contract.ts";
import { pickTitles } from "./fixtures.ts";
import { DEMO_PASSWORD, leaksOf, must, ok, PASSWORD, startWorld, uniqueEmail, type ContractClient, type World } from "./support.ts";

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
  const token = ok(await client.run(SignUpDocument, { input: { email: uniqueEmail(name.toLowerCase()), password: PASSWORD, name } })).signUp.accessToken;
  const profile = ok(await client.run(CreateProfileDocument, { input: { name } }, token)).createProfile;
  if (subscribe) {
    const plans = ok(await client.run(PlansDocument)).plans;
    ok(await client.run(SubscribeDocument, { input: { planId: must(plans.at(-1), "a plan").id } }, token));
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
  const party = ok(await client.run(CreatePartyWatchDocument, { input: { profileId: host.profileId, contentId: titles.familyFilm.id } }, host.token)).createPartyWatch;
  partyId = party.id;
  ok(await client.run(JoinPartyWatchDocument, { inviteCode: party.inviteCode, profileId: guest.profileId }, guest.token));
});
afterAll(async () => {
  await Promise.all(sockets.map((socket) => socket.dispose()));
  await world?.stop();
});

// ---------------------------------------------------------------------------------------------------------------

interface Stream<TData> {
  name: string;
  document: DocumentNode;
  results: FormattedExecutionResult<TData, unknown>[];
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

function listen<TData, TVariables extends Record<string, unknown>>(
  ws: Client,
  document: TypedDocumentNode<TData, TVariables>,
  variables?: NoInfer<TVariables>,
): Stream<TData> {
  const name = operationName(document);
  const stream: Stream<TData> = { name, document, results: [], failures: [], completed: false, stop: () => undefined };
  stream.stop = ws.subscribe<TData>(
    { query: print(document), operationName: name, variables: variables ?? {} },
    {
      next: (result) => stream.results.push(result),
      error: (error) => stream.failures.push(error),
      complete: () => {
        stream.completed = true;
      },
    },
  );
  return stream;
}

function describeStream(stream: Stream<unknown>): string {
  return JSON.stringify({ results: stream.results, failures: stream.failures.map(String), raw: stream.failures }, null, 1);
}

/** The events of a stream (its data), failing at once, with what came back, when it ended or erred. */
function events<TData, K extends keyof TData>(stream: Stream<TData>, field: K): TData[K][] {
  const problems = stream.results.filter((result) => result.errors?.length);
  if (problems.length > 0 || stream.failures.length > 0 || stream.completed) {
    throw new Error(`${stream.name} ended or failed instead of delivering events: ${describeStream(stream)}`);
  }
  return stream.results.map((result) => {
    if (!result.data) throw new Error(`${stream.name} delivered an event without data: ${describeStream(stream)}`);
    return result.data[field];
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A subscription is live some moments after it is sent (the gateway opens its upstream subscription, the
 * subgraph subscribes on Redis), and the protocol does not say when: trigger events until one arrives.
 */
async function untilLive<TData, K extends keyof TData & string>(
  streams: Stream<TData>[],
  field: K,
  trigger: (attempt: number) => Promise<void>,
  attempts = 30,
): Promise<void> {
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

function check(stream: Stream<unknown>): void {
  for (const result of stream.results) client.inspect(stream.document, result);
  for (const failure of stream.failures) client.recordError(stream.name, failure);
}

// ---------------------------------------------------------------------------------------------------------------

describe("party subscriptions through the gateway", () => {
  it("PartyMessages: every member receives a message, with its sender resolved", async () => {
    const streams = [listen(socket(host.token), PartyMessagesDocument, { sessionId: partyId }), listen(socket(guest.token), PartyMessagesDocument, { sessionId: partyId })];
    const senders = [host, guest];
    await untilLive(streams, "partyMessageAdded", async (attempt) => {
      ok(await client.run(SendPartyMessageDocument, { sessionId: partyId, text: `warming up ${attempt}` }, senders[attempt % 2]?.token));
    });

    const sent = ok(await client.run(SendPartyMessageDocument, { sessionId: partyId, text: "Lights off, it starts!" }, guest.token)).sendPartyMessage;
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
    const streams = [listen(socket(host.token), PartySyncDocument, { sessionId: partyId }), listen(socket(guest.token), PartySyncDocument, { sessionId: partyId })];
    await untilLive(streams, "partySync", async (attempt) => {
      ok(await client.run(ControlPartyPlaybackDocument, { input: { sessionId: partyId, action: "PAUSE", positionSeconds: attempt } }, host.token));
    });

    const control = ok(await client.run(ControlPartyPlaybackDocument, { input: { sessionId: partyId, action: "SEEK", positionSeconds: 300 } }, host.token)).controlPartyPlayback;
    for (const stream of streams) {
      const event = await until("the seek", () => events(stream, "partySync").find((item) => item.action === "SEEK"));
      expect(event).toEqual({ sessionId: partyId, action: "SEEK", positionSeconds: 300, issuedAt: control.issuedAt, by: { id: host.profileId, name: host.name } });
      expect(events(stream, "partySync").at(-1)).toEqual(event);
      check(stream);
      stream.stop();
    }
  });

  it("stops delivering to a member who leaves", async () => {
    const hostStream = listen(socket(host.token), PartyMessagesDocument, { sessionId: partyId });
    const guestStream = listen(socket(guest.token), PartyMessagesDocument, { sessionId: partyId });
    await untilLive([hostStream, guestStream], "partyMessageAdded", async (attempt) => {
      ok(await client.run(SendPartyMessageDocument, { sessionId: partyId, text: `before leaving ${attempt}` }, host.token));
    });
    expect(ok(await client.run(LeavePartyWatchDocument, { sessionId: partyId }, guest.token)).leavePartyWatch).toBe(true);
    const sent = ok(await client.run(SendPartyMessageDocument, { sessionId: partyId, text: "Bye, guest." }, host.token)).sendPartyMessage;
    await until("the host's copy", () => events(hostStream, "partyMessageAdded").find((item) => item.id === sent.id));
    // Whether the guest's stream was closed (revocation) or is still open, the message never reached it.
    const delivered = guestStream.results.map((result) => result.data?.partyMessageAdded.id);
    expect(delivered).not.toContain(sent.id);
    check(hostStream);
    check(guestStream);
    hostStream.stop();
    guestStream.stop();
  });

  it("refuses a non-member (FORBIDDEN) and a socket without a token", async () => {
    const outsider = listen(socket(stranger.token), PartyMessagesDocument, { sessionId: partyId });
    await until("the refusal", () => (outsider.failures.length > 0 || outsider.results.some((result) => result.errors?.length) ? true : undefined));
    const codes = [...outsider.results.flatMap((result) => result.errors ?? []), ...outsider.failures.flatMap((failure) => (Array.isArray(failure) ? failure : []))].map(
      (error: { extensions?: { code?: unknown } }) => error.extensions?.code,
    );
    expect(codes).toContain("FORBIDDEN");
    expect(outsider.results.every((result) => !result.data)).toBe(true);
    check(outsider);

    const anonymous = listen(socket(null), PartyMessagesDocument, { sessionId: partyId });
    await until("the anonymous socket to close", () => (anonymous.failures.length > 0 ? true : undefined));
    expect((anonymous.failures[0] as { code?: number }).code).toBe(4401);
  });
});

describe("notification subscription through the gateway", () => {
  it("NotificationAdded: an account receives its new notification (a staff reply)", async () => {
    const staff = ok(await client.run(SignInDocument, { input: { email: "staff@watchflixx.dev", password: DEMO_PASSWORD } })).signIn.accessToken;
    const ticket = ok(await client.run(OpenSupportTicketDocument, { input: { subject: "Subtitles out of sync", message: "About two seconds late." } }, guest.token)).openSupportTicket;
    const reply = (body: string) => client.run(RespondToSupportTicketDocument, { ticketId: ticket.id, body }, staff);

    const mine = listen(socket(guest.token), NotificationAddedDocument);
    const someoneElses = listen(socket(host.token), NotificationAddedDocument);
    await untilLive([mine], "notificationAdded", async (attempt) => {
      ok(await reply(`Looking into it (${attempt}).`));
    });
    ok(await reply("Fixed: please reload the player."));
    const event = await until("the reply's notification", () =>
      events(mine, "notificationAdded").find((item) => item.body.includes("Fixed: please reload")),
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

describe("sessions and their sockets", () => {
  it("SignOut closes that device's sockets at once (4401); the account's other devices keep receiving", async () => {
    const email = uniqueEmail("two-devices");
    const phone = ok(await client.run(SignUpDocument, { input: { email, password: PASSWORD, name: "Two Devices" } })).signUp.accessToken;
    const tv = ok(await client.run(SignInDocument, { input: { email, password: PASSWORD, deviceName: "Living room", deviceType: "TV" } })).signIn.accessToken;
    const staff = ok(await client.run(SignInDocument, { input: { email: "staff@watchflixx.dev", password: DEMO_PASSWORD } })).signIn.accessToken;
    const ticket = ok(await client.run(OpenSupportTicketDocument, { input: { subject: "Signed in twice", message: "Phone and TV." } }, phone)).openSupportTicket;
    const reply = (body: string) => client.run(RespondToSupportTicketDocument, { ticketId: ticket.id, body }, staff);

    const onPhone = listen(socket(phone), NotificationAddedDocument);
    const onTv = listen(socket(tv), NotificationAddedDocument);
    await untilLive([onPhone, onTv], "notificationAdded", async (attempt) => {
      ok(await reply(`First answer (${attempt}).`));
    });
    expect(ok(await client.run(SignOutDocument, {}, phone)).signOut).toBe(true);
    // Long before the phone's access token expires (15 minutes).
    await until("the phone's socket to close", () => (onPhone.failures.length > 0 ? true : undefined), 5_000);
    expect((onPhone.failures[0] as { code?: number }).code).toBe(4401);

    ok(await reply("Second answer."));
    await until("the TV's copy", () => events(onTv, "notificationAdded").find((item) => item.body === "Second answer."));
    expect(onPhone.results.map((result) => result.data?.notificationAdded.body)).not.toContain("Second answer.");
    check(onTv);
    onTv.stop();
  });
});

describe("errors over the WebSocket", () => {
  it("carry no stack trace, SQL or internals", () => {
    const leaking = client.errorsSeen.map((seen) => ({ ...seen, leaks: leaksOf(seen.error) })).filter((seen) => seen.leaks.length > 0);
    expect(leaking).toEqual([]);
  });
});
