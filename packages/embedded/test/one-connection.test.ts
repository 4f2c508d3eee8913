// Every transactional path of the supergraph on ONE database connection, on the real PostgreSQL. Code that,
// inside a transaction, awaits a query on another connection (the outer client instead of `tx`, a loader, a
// helper given `db`) waits forever here: the only connection is the transaction's. That is a deadlock on the
// embedded database (whose single session a transaction holds) and pool exhaustion on a real server under load.
// Each step has a bounded wait, so such code fails the test, naming the step, instead of hanging it.
import { print } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ControlPartyPlaybackDocument,
  CreatePartyWatchDocument,
  CreateProfileDocument,
  JoinPartyWatchDocument,
  LeavePartyWatchDocument,
  NotificationsDocument,
  OpenSupportTicketDocument,
  PlansDocument,
  RateContentDocument,
  RefreshTokenDocument,
  ReportProgressDocument,
  RespondToSupportTicketDocument,
  SendPartyMessageDocument,
  SignInDocument,
  SignOutDocument,
  SignUpDocument,
  StartPlaybackDocument,
  SubscribeDocument,
  UpdateProfileDocument,
  type TypedDocumentNode,
} from "@watchflixx/clients";
import { createPrismaClient, type PrismaClient } from "@watchflixx/db";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { startSupergraph, type RunningSupergraph, type SubgraphEntry } from "@watchflixx/testing";
import { authSubgraph } from "@watchflixx/auth";
import { contentSubgraph } from "@watchflixx/content";
import { streamingSubgraph } from "@watchflixx/streaming";
import { paymentSubgraph } from "@watchflixx/payment";
import { socialSubgraph } from "@watchflixx/social";
import { analyticsSubgraphWith } from "@watchflixx/analytics";
import { notificationSubgraphWith } from "@watchflixx/notification";

/** Far above what any of these steps takes on one connection; a step waiting on a second connection never ends. */
const STEP_DEADLINE_MS = 15_000;

let database: TestDatabase;
let oneConnection: PrismaClient;
let supergraph: RunningSupergraph;

beforeAll(async () => {
  database = await createTestDatabase({ seeded: true });
  oneConnection = createPrismaClient(database.url, { maxConnections: 1 });
  // Consumers poll this database (no Redis streams shared with other test files) and, like everything else, use the one connection.
  const consumer = { redisUrl: null, pollIntervalMs: 200 };
  const subgraphs: SubgraphEntry[] = [
    authSubgraph,
    contentSubgraph,
    streamingSubgraph,
    paymentSubgraph,
    socialSubgraph,
    analyticsSubgraphWith({ consumer }),
    notificationSubgraphWith({ consumer, emailPollIntervalMs: 200 }),
  ];
  supergraph = await startSupergraph({ db: oneConnection, config: { LOG_LEVEL: "error" }, subgraphs });
});

afterAll(async () => {
  await supergraph?.stop();
  await oneConnection?.$disconnect();
  await database?.drop();
});

/** Runs `work`, failing (naming `step`) if it has not finished within the deadline. */
async function bounded<T>(step: string, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${step} did not finish within ${STEP_DEADLINE_MS} ms on one connection: does it await a second connection inside a transaction?`)),
      STEP_DEADLINE_MS,
    );
  });
  try {
    return await Promise.race([work(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function run<TData, TVariables extends Record<string, unknown>>(
  document: TypedDocumentNode<TData, TVariables>,
  variables: NoInfer<TVariables>,
  token?: string,
): Promise<TData> {
  const operation = document.definitions.find((definition) => definition.kind === "OperationDefinition");
  const name = operation && "name" in operation ? (operation.name?.value ?? "") : "";
  const result = await bounded(name, () => supergraph.gql(print(document), variables, token ? { token } : {}));
  expect(result.errors, `${name} answered errors`).toBeUndefined();
  return result.data as TData;
}

describe("one database connection for the whole supergraph", () => {
  const host = { token: "", refresh: "", profileId: "" };
  const guest = { token: "", profileId: "" };
  let contentId = "";

  it("accounts: sign-up, refresh-token rotation, profile creation and an optimistic update", async () => {
    const signedUp = (await run(SignUpDocument, { input: { email: `one-connection-${Date.now()}@example.test`, password: "a long enough passphrase 42", name: "Host" } })).signUp;
    host.token = signedUp.accessToken;
    const rotated = (await run(RefreshTokenDocument, { refreshToken: signedUp.refreshToken })).refreshToken;
    expect(rotated.refreshToken).not.toBe(signedUp.refreshToken);
    host.token = rotated.accessToken;
    const profile = (await run(CreateProfileDocument, { input: { name: "Host" } }, host.token)).createProfile;
    host.profileId = profile.id;
    const version = profile.version ?? 0;
    const updated = (await run(UpdateProfileDocument, { id: profile.id, input: { expectedVersion: version, name: "Host H." } }, host.token)).updateProfile;
    expect(updated.version).toBe(version + 1);
  });

  it("payment and playback: subscribe, start (stream-limit lock), report progress, rate", async () => {
    const plans = (await run(PlansDocument, {})).plans;
    await run(SubscribeDocument, { input: { planId: plans.at(-1)?.id ?? "" } }, host.token);
    const [title] = await oneConnection.content.findMany({ where: { maturityRating: { in: ["G", "PG"] }, type: "MOVIE", publishedAt: { not: null } }, take: 1, select: { id: true } });
    contentId = title?.id ?? "";
    const session = (await run(StartPlaybackDocument, { input: { profileId: host.profileId, contentId } }, host.token)).startPlayback;
    const progress = (await run(ReportProgressDocument, { input: { sessionId: session.id, positionSeconds: 120 } }, host.token)).reportProgress;
    expect(progress).toBeTruthy();
    const rating = (await run(RateContentDocument, { input: { profileId: host.profileId, contentId, rating: 4 } }, host.token)).rateContent;
    expect(rating.rating).toBe(4);
  });

  it("a party: create, join, chat, control (advisory lock and pub/sub inside the transaction), leave", async () => {
    const party = (await run(CreatePartyWatchDocument, { input: { profileId: host.profileId, contentId } }, host.token)).createPartyWatch;
    guest.token = (await run(SignInDocument, { input: { email: "alice@watchflixx.dev", password: "watchflixx-demo" } })).signIn.accessToken;
    const [aliceProfile] = await oneConnection.profile.findMany({ where: { user: { email: "alice@watchflixx.dev" }, isKids: false }, take: 1 });
    guest.profileId = aliceProfile?.id ?? "";
    await run(JoinPartyWatchDocument, { inviteCode: party.inviteCode, profileId: guest.profileId }, guest.token);
    // Sent at once from both members: the transactions queue for the one connection and all commit.
    const texts = Array.from({ length: 6 }, (_, index) => `message ${index}`);
    await Promise.all(texts.map((text, index) => run(SendPartyMessageDocument, { sessionId: party.id, text }, index % 2 ? guest.token : host.token)));
    expect(await oneConnection.partyWatchMessage.count({ where: { sessionId: party.id } })).toBe(texts.length);
    await run(ControlPartyPlaybackDocument, { input: { sessionId: party.id, action: "PLAY", positionSeconds: 42 } }, host.token);
    expect((await run(LeavePartyWatchDocument, { sessionId: party.id }, guest.token)).leavePartyWatch).toBe(true);
  });

  it("support and the event consumers: a staff reply becomes a notification; sign-out ends the session", async () => {
    const ticket = (await run(OpenSupportTicketDocument, { input: { subject: "One connection", message: "Does it hold?" } }, host.token)).openSupportTicket;
    const staff = (await run(SignInDocument, { input: { email: "staff@watchflixx.dev", password: "watchflixx-demo" } })).signIn.accessToken;
    await run(RespondToSupportTicketDocument, { ticketId: ticket.id, body: "It holds." }, staff);
    // The party's PartyWatchStarted event went through the notification consumer's transaction on the same connection.
    const deadline = Date.now() + STEP_DEADLINE_MS;
    let types: string[] = [];
    while (Date.now() < deadline) {
      types = (await run(NotificationsDocument, { first: 10 }, host.token)).notifications.map((notification) => notification.type);
      if (types.includes("PARTY_INVITE") && types.includes("SUPPORT_REPLY")) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(types).toEqual(expect.arrayContaining(["PARTY_INVITE", "SUPPORT_REPLY"]));
    expect((await run(SignOutDocument, {}, host.token)).signOut).toBe(true);
  });
});
