// A machine with Node.js alone: no server on the configured PostgreSQL and Redis ports, and no PostgreSQL or
// Redis program on the PATH. The README's run command (`pnpm start`) must bring the whole supergraph up in
// embedded mode (one process, PGlite, in-memory bus), and a client's journey must pass through the real gateway:
// sign up → browse and search → play → party chat (a subscription through the gateway over graphql-ws) → a
// notification (event bus → consumer → pub/sub → gateway). Prints how long start-up and the journey took.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, existsSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { print, type DocumentNode } from "graphql";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BrowseDocument,
  CreatePartyWatchDocument,
  CreateProfileDocument,
  JoinPartyWatchDocument,
  MeDocument,
  NotificationAddedDocument,
  NotificationsDocument,
  PartyMessagesDocument,
  PlansDocument,
  SearchDocument,
  SendPartyMessageDocument,
  SignInDocument,
  SignOutDocument,
  SignUpDocument,
  StartPlaybackDocument,
  SubscribeDocument,
  type TypedDocumentNode,
} from "@watchflixx/clients";
import { repositoryRoot } from "@watchflixx/common";

/** Programs whose presence would mean PostgreSQL or Redis is installed. */
const SERVER_PROGRAMS = /^(postgres|postmaster|psql|pg_.*|initdb|createdb|dropdb|createuser|dropuser|redis-.*)$/;
const START_TIMEOUT_MS = 110_000;
const PASSWORD = "a long enough passphrase 42";

let machine: { bin: string; data: string };
/** One `pnpm start`: its process and everything it printed (the process tree's, until its pipes close). */
interface Run {
  child: ChildProcess;
  output: string;
  /** Resolves once every process of the run has exited (the last one holding its stdout has closed it). */
  ended: Promise<unknown>;
}
let run: Run | undefined;
let output = "";
let gateway = "";
let startupMs = 0;
let journeyStarted = 0;
const sockets: Client[] = [];

/** A PATH with every program of this machine except PostgreSQL's and Redis's. */
function barePath(dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const source of ["/usr/local/bin", "/usr/bin", "/bin"]) {
    if (!existsSync(source)) continue;
    for (const name of readdirSync(source)) {
      if (SERVER_PROGRAMS.test(name) || existsSync(path.join(dir, name))) continue;
      symlinkSync(path.join(source, name), path.join(dir, name));
    }
  }
  return dir;
}

/** A port nothing listens on (taken from the OS, then released). */
async function closedPort(): Promise<number> {
  const server = net.createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A base port with itself and the next seven free (the gateway and seven subgraphs), in 4xxxx. */
async function freeBase(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const base = 42_000 + Math.floor(Math.random() * 700) * 10;
    const free = await Promise.all(
      Array.from({ length: 8 }, (_, offset) =>
        new Promise<boolean>((resolve) => {
          const server = net.createServer().once("error", () => resolve(false));
          server.listen(base + offset, "127.0.0.1", () => server.close(() => resolve(true)));
        }),
      ),
    );
    if (free.every(Boolean)) return base;
  }
  throw new Error("no free port range");
}

async function gql<TData, TVariables extends Record<string, unknown>>(
  document: TypedDocumentNode<TData, TVariables>,
  variables?: NoInfer<TVariables>,
  token?: string,
): Promise<TData> {
  const response = await fetch(gateway, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: print(document), variables: variables ?? {} }),
  });
  const body = (await response.json()) as { data?: TData; errors?: unknown[] };
  expect(body.errors, `${operationOf(document)} answered errors`).toBeUndefined();
  return body.data as TData;
}

function operationOf(document: DocumentNode): string {
  const operation = document.definitions.find((definition) => definition.kind === "OperationDefinition");
  return operation && "name" in operation ? (operation.name?.value ?? "") : "";
}

/** Results of one subscription through the gateway. */
function listen<TData, TVariables extends Record<string, unknown>>(token: string, document: TypedDocumentNode<TData, TVariables>, variables?: NoInfer<TVariables>) {
  const stream = { results: [] as TData[], failures: [] as unknown[], connected: false, closeCode: 0 };
  const ws = createClient({
    url: gateway.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    on: {
      connected: () => (stream.connected = true),
      closed: (event) => (stream.closeCode = (event as { code?: number }).code ?? -1),
    },
  });
  sockets.push(ws);
  ws.subscribe<TData>(
    { query: print(document), operationName: operationOf(document), variables: variables ?? {} },
    { next: (result) => (result.data ? stream.results.push(result.data) : stream.failures.push(result.errors)), error: (error) => stream.failures.push(error), complete: () => undefined },
  );
  return stream;
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

let environment: Record<string, string | undefined>;

/** `pnpm start` on the bare machine; resolves with the gateway's URL once it says everything is up. */
async function startStack(): Promise<string> {
  const started = performance.now();
  const child = spawn("pnpm", ["start"], { cwd: repositoryRoot, detached: true, env: environment, stdio: ["ignore", "pipe", "pipe"] });
  const current: Run = { child, output: "", ended: once(child, "close").catch(() => undefined) };
  run = current;
  // This run's own buffer: a previous run still stopping must not write into it.
  const append = (chunk: Buffer) => {
    current.output += chunk.toString();
    if (run === current) output = current.output;
  };
  output = "";
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  let exitCode: number | null | undefined;
  child.once("exit", (code) => (exitCode = code));
  const url = await until(
    "the supergraph",
    () => {
      if (exitCode !== undefined) throw new Error(`pnpm start exited (${String(exitCode)}) before the supergraph was up:\n${output}`);
      return /everything up in \d+ ms; gateway at (\S+)/.exec(output)?.[1] ?? undefined;
    },
    START_TIMEOUT_MS,
  );
  startupMs = Math.round(performance.now() - started);
  return url;
}

/** Ctrl-C for the whole process group (pnpm, tsx, node). */
async function stopStack(): Promise<void> {
  const child = run?.child;
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exit = once(child, "exit");
  process.kill(-child.pid, "SIGTERM");
  const timer = setTimeout(() => child.pid && process.kill(-child.pid, "SIGKILL"), 15_000);
  await exit;
  clearTimeout(timer);
}

beforeAll(async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), "watchflixx-bare-"));
  machine = { bin: barePath(path.join(root, "bin")), data: path.join(root, "data") };
  const [databasePort, redisPort, base] = await Promise.all([closedPort(), closedPort(), freeBase()]);
  // A fresh environment: nothing from this machine's shell but HOME, the bare PATH and the ports to use.
  environment = {
    HOME: process.env.HOME,
    PATH: machine.bin,
    DATABASE_URL: `postgresql://postgres@127.0.0.1:${databasePort}/watchflixx`,
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    WATCHFLIXX_PORT_BASE: String(base),
    WATCHFLIXX_DATA_DIR: machine.data,
    LOG_LEVEL: "warn",
  };
  gateway = await startStack();
  console.log(`bare machine: \`pnpm start\` brought everything up in ${startupMs} ms (embedded PostgreSQL created, migrated, seeded)`);
  journeyStarted = performance.now();
}, START_TIMEOUT_MS + 10_000);

afterAll(async () => {
  await Promise.all(sockets.map((ws) => ws.dispose()));
  await stopStack();
  // Every process of the run gone (the database closed) before its data folder is removed.
  await run?.ended;
  if (machine) rmSync(path.dirname(machine.bin), { recursive: true, force: true });
}, 30_000);

describe("a machine with Node.js alone", () => {
  const hana = { email: `bare-${Date.now()}@example.test`, token: "", profileId: "" };
  const alice = { token: "", profileId: "" };
  let contentId = "";
  let notifications: ReturnType<typeof listen<{ notificationAdded: { type: string; body: string } }, Record<string, never>>>;

  it("says on one line what runs embedded and that it is for one machine only; the gateway is ready", async () => {
    const notice = output.split("\n").filter((line) => line.startsWith("embedded mode:"));
    expect(notice).toHaveLength(1);
    expect(notice[0]).toContain("PostgreSQL (PGlite");
    expect(notice[0]).toContain("the bus (in-memory");
    expect(notice[0]).toContain("for one machine only");
    // No Redis is reported down: the in-process bus is the whole of it.
    const ready = await fetch(new URL("/ready", gateway));
    expect(ready.status).toBe(200);
  });

  it("signs up a new account, with a profile and a subscription", async () => {
    const signedUp = await gql(SignUpDocument, { input: { email: hana.email, password: PASSWORD, name: "Hana Mori" } });
    hana.token = signedUp.signUp.accessToken;
    notifications = listen(hana.token, NotificationAddedDocument);
    hana.profileId = (await gql(CreateProfileDocument, { input: { name: "Hana" } }, hana.token)).createProfile.id;
    const plans = (await gql(PlansDocument)).plans;
    const plan = plans.at(-1);
    expect(plan).toBeDefined();
    expect((await gql(SubscribeDocument, { input: { planId: plan?.id ?? "" } }, hana.token)).subscribe).toBeTruthy();
  });

  it("browses the seeded catalog and finds a title by full-text search", async () => {
    const page = (await gql(BrowseDocument, { first: 5 })).browse;
    expect(page.totalCount).toBeGreaterThanOrEqual(100);
    expect(page.edges).toHaveLength(5);
    const title = page.edges.find((edge) => edge.node.maturityRating === "G" || edge.node.maturityRating === "PG")?.node ?? page.edges[0]?.node;
    contentId = title?.id ?? "";
    const word = (title?.title ?? "").split(/\s+/).find((part) => part.length > 3) ?? "";
    const found = (await gql(SearchDocument, { query: word, first: 50 })).search;
    expect(found.map((item) => item.id)).toContain(contentId);
  });

  it("plays a title", async () => {
    const session = (await gql(StartPlaybackDocument, { input: { profileId: hana.profileId, contentId } }, hana.token)).startPlayback;
    expect(session.manifestUrl).toMatch(/^https:\/\//);
    expect(session.content?.id).toBe(contentId);
  });

  it("chats in a party: a message reaches the other member's subscription through the gateway", async () => {
    const party = (await gql(CreatePartyWatchDocument, { input: { profileId: hana.profileId, contentId } }, hana.token)).createPartyWatch;
    alice.token = (await gql(SignInDocument, { input: { email: "alice@watchflixx.dev", password: "watchflixx-demo" } })).signIn.accessToken;
    const me = (await gql(MeDocument, {}, alice.token)).me;
    alice.profileId = me?.profiles.find((profile) => !profile.isKids)?.id ?? "";
    await gql(JoinPartyWatchDocument, { inviteCode: party.inviteCode, profileId: alice.profileId }, alice.token);

    const hanasChat = listen(hana.token, PartyMessagesDocument, { sessionId: party.id });
    // The subscription goes live asynchronously: Alice writes until Hana's stream carries one message.
    let attempt = 0;
    await until("the party chat to be live", async () => {
      attempt += 1;
      await gql(SendPartyMessageDocument, { sessionId: party.id, text: `hello ${attempt}` }, alice.token);
      return hanasChat.results.length > 0 ? true : undefined;
    });
    const sent = (await gql(SendPartyMessageDocument, { sessionId: party.id, text: "Popcorn ready?" }, alice.token)).sendPartyMessage;
    const received = await until("Alice's message", () => hanasChat.results.find((result) => result.partyMessageAdded.id === sent.id));
    expect(received.partyMessageAdded).toMatchObject({ text: "Popcorn ready?", sender: { id: alice.profileId } });
    expect(hanasChat.failures).toEqual([]);
  });

  it("notifies the host: the party's invite arrives as a notification and on her notificationAdded subscription", async () => {
    const listed = await until("the PARTY_INVITE notification", async () =>
      (await gql(NotificationsDocument, { first: 10 }, hana.token)).notifications.find((notification) => notification.type === "PARTY_INVITE"),
    );
    expect(listed.read).toBe(false);
    const pushed = await until("the pushed notification", () => notifications.results.find((result) => result.notificationAdded.type === "PARTY_INVITE"));
    expect(pushed.notificationAdded.body).toBe(listed.body);
  });

  it("signs out: the device's open sockets close at once (4401), the revocation carried by the in-process bus", async () => {
    const alicesNotifications = listen(alice.token, NotificationAddedDocument);
    await until("Alice's socket to open", () => (alicesNotifications.connected ? true : undefined));
    expect((await gql(SignOutDocument, {}, alice.token)).signOut).toBe(true);
    // Her access token would stay valid for minutes: only the announced session end closes the socket now.
    expect(await until("Alice's socket to close", () => alicesNotifications.closeCode || undefined, 10_000)).toBe(4401);
  });

  it("logged no warning or error on the way (no Redis to miss, no statement mixed up on the one database session)", () => {
    console.log(`bare machine: the journey took ${Math.round(performance.now() - journeyStarted)} ms`);
    expect(output.split("\n").filter((line) => / (WARN|ERROR) /.test(line))).toEqual([]);
  });

  it("keeps the data across a restart: no second seed, and the new account still signs in", async () => {
    const first = run as Run;
    // Ctrl-C, then `pnpm start` at once: pnpm gives the prompt back before the stack has finished stopping.
    await stopStack();
    gateway = await startStack();
    console.log(`bare machine: restarted on the same data in ${startupMs} ms`);
    // The first run stopped everything, the embedded database last, and exited by itself.
    await first.ended;
    const stopped = first.output.slice(first.output.indexOf("embedded: SIGTERM, stopping"));
    expect(stopped.split("\n").filter((line) => line.startsWith("embedded:"))).toEqual(["embedded: SIGTERM, stopping", "embedded: stopped"]);
    expect(stopped.split("\n").filter((line) => / (WARN|ERROR) /.test(line))).toEqual([]);
    expect(output).not.toContain("seed ready");
    const signedIn = (await gql(SignInDocument, { input: { email: hana.email, password: PASSWORD } })).signIn;
    expect(signedIn.accessToken).toEqual(expect.any(String));
  }, START_TIMEOUT_MS + 30_000);
});
