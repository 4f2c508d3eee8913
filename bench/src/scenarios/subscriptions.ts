// 3. Subscription fan-out: N graphql-ws subscribers (in the load process, one connection and token each) to one
// party's `partyMessageAdded` through the gateway; M messages sent through the gateway by the members in turn.
import type { LoadGenerator } from "../load/index.ts";
import { sampleCpu, type CpuShares } from "../machine.ts";
import { epochNow, fanOutText, type FanOutResult } from "../load/index.ts";
import { contractText } from "../operations.ts";
import type { BenchSettings } from "../settings.ts";
import { fixed, integer, memory, summarize, table, type LatencySummary, type MemorySnapshot } from "../stats.ts";
import type { BenchWorld } from "../world.ts";

/** The messages are sent with a selection of `{ id }` only, so the `_entities` fetches counted are the gateway's per-event ones. */
const SEND = `mutation SendPartyMessage($sessionId: ID!, $text: String!) { sendPartyMessage(sessionId: $sessionId, text: $text) { id } }`;

interface Member {
  userId: string;
  token: string;
  profileId: string;
}

export interface FanOutReport {
  subscribers: number;
  messages: number;
  setupMs: number;
  subscribeMs: number;
  sendMs: number;
  totalMs: number;
  result: FanOutResult;
  latency: LatencySummary;
  sendLatency: LatencySummary;
  deliveriesPerSecond: number;
  upstreamsOpened: number;
  eventsReceived: number;
  authEntitiesPerEvent: number;
  subgraphRequestsPerEvent: number;
  statementsPerMessage: number;
  serverCpu: number;
  machine: CpuShares | null;
  afterClose: { clients: number; activeUpstreams: number };
  memoryBefore: MemorySnapshot;
  memoryAfter: MemorySnapshot;
}

async function inBatches<T, R>(items: readonly T[], width: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const index = next;
        next += 1;
        const item = items[index];
        if (item !== undefined) results[index] = await work(item, index);
      }
    }),
  );
  return results;
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return check();
}

/** Sign up, create a profile, and a Subscription row as the entitlement fixture (as subgraphs/social/test/support.ts). */
async function newMember(world: BenchWorld, planId: string, index: number): Promise<Member> {
  const { gql } = world.supergraph;
  const signUp = await gql(contractText("web/auth.graphql", "SignUp"), {
    input: { email: `bench-party-${index}-${Date.now()}@example.com`, password: "bench party passphrase 42", name: `Bench ${index}` },
  });
  const token: unknown = signUp.data?.signUp?.accessToken;
  const userId: unknown = signUp.data?.signUp?.user?.id;
  if (typeof token !== "string" || typeof userId !== "string") throw new Error(`SignUp failed: ${JSON.stringify(signUp.errors)}`);
  const profile = await gql(contractText("web/auth.graphql", "CreateProfile"), { input: { name: `Viewer ${index}` } }, { token });
  const profileId: unknown = profile.data?.createProfile?.id;
  if (typeof profileId !== "string") throw new Error(`CreateProfile failed: ${JSON.stringify(profile.errors)}`);
  const now = new Date();
  await world.db.subscription.create({
    data: { userId, planId, status: "ACTIVE", provider: "LOCAL", currentPeriodStart: now, currentPeriodEnd: new Date(now.getTime() + 30 * 24 * 3600 * 1000) },
  });
  return { userId, token, profileId };
}

export async function runFanOut(world: BenchWorld, load: LoadGenerator, settings: BenchSettings, log: (line: string) => void): Promise<FanOutReport> {
  const { subscribers, messages, sendConcurrency, timeoutMs } = settings.subscriptions;
  const engine = world.supergraph.gateway.subscriptions;
  if (!engine) throw new Error("the gateway has no subscription engine attached");
  const { gql } = world.supergraph;

  // -- the party: every subscriber is a member ----------------------------------------------------------------
  const setupStarted = performance.now();
  const film = await world.db.content.findFirst({
    where: { type: "MOVIE", maturityRating: "G", publishedAt: { not: null } },
    orderBy: { id: "asc" },
    select: { id: true },
  });
  const plan = await world.db.plan.findUnique({ where: { code: "premium" }, select: { id: true } });
  if (!film || !plan) throw new Error("the seed has no G-rated film or no premium plan");
  const members = await inBatches(
    Array.from({ length: subscribers }, (_unused, index) => index),
    8,
    (index) => newMember(world, plan.id, index),
  );
  const [host, ...guests] = members;
  if (!host) throw new Error("no members");
  const created = await gql(contractText("web/party.graphql", "CreatePartyWatch"), { input: { profileId: host.profileId, contentId: film.id } }, { token: host.token });
  const sessionId: unknown = created.data?.createPartyWatch?.id;
  const inviteCode: unknown = created.data?.createPartyWatch?.inviteCode;
  if (typeof sessionId !== "string" || typeof inviteCode !== "string") throw new Error(`CreatePartyWatch failed: ${JSON.stringify(created.errors)}`);
  await inBatches(guests, 8, async (guest) => {
    const joined = await gql(contractText("web/party.graphql", "JoinPartyWatch"), { inviteCode, profileId: guest.profileId }, { token: guest.token });
    if (joined.errors) throw new Error(`JoinPartyWatch failed: ${JSON.stringify(joined.errors)}`);
  });
  const setupMs = performance.now() - setupStarted;
  log(`  party: ${members.length} members (sign up, profile, subscription row, join) in ${(setupMs / 1000).toFixed(2)} s`);

  // -- subscribe ------------------------------------------------------------------------------------------------
  const statsBefore = engine.stats();
  const subscribeStarted = performance.now();
  const fanOut = load.fanOut({
    url: world.supergraph.url.replace(/^http/, "ws"),
    query: contractText("web/party.graphql", "PartyMessages"),
    variables: { sessionId },
    field: "partyMessageAdded",
    tokens: members.map((member) => member.token),
    expected: messages,
    timeoutMs,
  });
  await fanOut.connected;
  const allSubscribed = await waitFor(() => engine.stats().clients - statsBefore.clients >= subscribers, 30_000);
  if (!allSubscribed) throw new Error(`only ${engine.stats().clients - statsBefore.clients} of ${subscribers} subscriptions reached the gateway`);
  const subscribeMs = performance.now() - subscribeStarted;
  log(`  ${subscribers} subscribers connected and subscribed in ${(subscribeMs / 1000).toFixed(2)} s`);

  // -- send ----------------------------------------------------------------------------------------------------
  const memoryBefore = memory(true);
  const counts = world.snapshot();
  const sampler = await sampleCpu(() => [process.pid, load.pid]);
  const cpuBefore = process.cpuUsage();
  const sendLatencies: number[] = [];
  const firstSendAt = epochNow();
  const sendStarted = performance.now();
  await inBatches(
    Array.from({ length: messages }, (_unused, sequence) => sequence),
    sendConcurrency,
    async (sequence) => {
      const sender = members[sequence % members.length] ?? host;
      const started = performance.now();
      const sent = await gql(SEND, { sessionId, text: fanOutText(sequence, epochNow()) }, { token: sender.token });
      sendLatencies.push(performance.now() - started);
      if (sent.errors) throw new Error(`sendPartyMessage failed: ${JSON.stringify(sent.errors)}`);
    },
  );
  const sendMs = performance.now() - sendStarted;
  const result = await fanOut.collect();
  const totalMs = result.lastDeliveryAt - firstSendAt;
  const cpu = process.cpuUsage(cpuBefore);
  const wallMs = performance.now() - sendStarted;
  const machine = await sampler.stop();
  const delta = world.since(counts);
  const statsAfter = engine.stats();
  const memoryAfter = memory(false);

  // -- close: every client gone, the shared upstream released ----------------------------------------------------
  await waitFor(() => engine.stats().clients === statsBefore.clients && engine.stats().activeUpstreams === statsBefore.activeUpstreams, 10_000);
  const closed = engine.stats();
  const events = statsAfter.eventsReceived - statsBefore.eventsReceived;
  return {
    subscribers,
    messages,
    setupMs,
    subscribeMs,
    sendMs,
    totalMs,
    result,
    latency: summarize(result.latenciesMs),
    sendLatency: summarize(sendLatencies),
    deliveriesPerSecond: (result.delivered / totalMs) * 1000,
    upstreamsOpened: statsAfter.upstreamsOpened - statsBefore.upstreamsOpened,
    eventsReceived: events,
    authEntitiesPerEvent: (delta.bySubgraph.auth?.entities ?? Number.NaN) / Math.max(1, events),
    // The sends' own requests (one social request each) are not per-event work: subtract them.
    subgraphRequestsPerEvent: (delta.requests - messages) / Math.max(1, events),
    statementsPerMessage: delta.statements / messages,
    serverCpu: (cpu.user + cpu.system) / 1000 / wallMs,
    machine,
    afterClose: { clients: closed.clients - statsBefore.clients, activeUpstreams: closed.activeUpstreams - statsBefore.activeUpstreams },
    memoryBefore,
    memoryAfter,
  };
}

export function fanOutTables(report: FanOutReport): string {
  const { result } = report;
  const figures = table(
    ["subscribers", "messages", "delivered", "errors", "orders seen", "deliveries/s", "e2e p50 ms", "e2e p95 ms", "e2e p99 ms", "e2e max ms", "send p50 ms"],
    [
      [
        integer(report.subscribers),
        integer(report.messages),
        `${integer(result.delivered)}/${integer(report.subscribers * report.messages)}`,
        integer(result.errors),
        integer(result.distinctOrders),
        fixed(report.deliveriesPerSecond, 0),
        fixed(report.latency.p50),
        fixed(report.latency.p95),
        fixed(report.latency.p99),
        fixed(report.latency.max),
        fixed(report.sendLatency.p50),
      ],
    ],
  );
  const work = table(
    ["upstream subscriptions opened", "events received by gateway", "auth _entities per event", "subgraph req per event", "SQL per message", "server CPU", "other procs CPU", "after close: clients / upstreams", "RSS before→after MB"],
    [
      [
        integer(report.upstreamsOpened),
        integer(report.eventsReceived),
        fixed(report.authEntitiesPerEvent, 2),
        fixed(report.subgraphRequestsPerEvent, 2),
        fixed(report.statementsPerMessage),
        `${fixed(report.serverCpu * 100, 0)}%`,
        report.machine ? `${fixed(report.machine.others * 100, 0)}%` : "-",
        `${report.afterClose.clients} / ${report.afterClose.activeUpstreams}`,
        `${fixed(report.memoryBefore.rssMb, 0)}→${fixed(report.memoryAfter.rssMb, 0)}`,
      ],
    ],
  );
  const timings =
    `setup ${fixed(report.setupMs / 1000, 2)} s (party of ${report.subscribers}), subscribe ${fixed(report.subscribeMs / 1000, 2)} s, ` +
    `${report.messages} sends in ${fixed(report.sendMs / 1000, 2)} s (${fixed((report.messages / report.sendMs) * 1000, 0)}/s, members in turn), ` +
    `first send → last delivery ${fixed(report.totalMs / 1000, 2)} s` +
    (result.firstError ? `\nfirst error: ${result.firstError}` : "");
  return `${figures}\n\n${work}\n${timings}`;
}
