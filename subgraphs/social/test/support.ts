// A party-watch world for tests: the real auth, content and social subgraphs, two social instances behind two
// gateways (so members sit on different instances), real graphql-ws clients, real Redis and PostgreSQL.
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { createClient as createWsClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { mapSubgraphDefinition, type RunningSubgraph, type SubgraphDefinition } from "@watchflixx/common";
import { composeSupergraph, createClient, startSupergraph, startTestSubgraph, type GraphQLClient, type RunningSupergraph } from "@watchflixx/testing";
import { createGateway, type RunningGateway } from "@watchflixx/router";
import { authSubgraph } from "@watchflixx/auth";
import { contentSubgraph } from "@watchflixx/content";
import { socialSubgraphWith, type PartySettings } from "../src/index.ts";

export interface Member {
  userId: string;
  token: string;
  profileId: string;
  profileName: string;
}

/**
 * A round-robin reverse proxy in front of several instances of one subgraph, as a load balancer would be:
 * every HTTP request and every WebSocket connection goes to the next instance in turn.
 */
export interface RoundRobinProxy {
  url: string;
  /** Requests and WebSocket connections each instance received, by instance URL. */
  served: Map<string, number>;
  stop(): Promise<void>;
}

export async function roundRobinProxy(targets: string[]): Promise<RoundRobinProxy> {
  const served = new Map(targets.map((target) => [target, 0]));
  let next = 0;
  const pick = () => {
    const target = targets[next % targets.length] ?? "";
    next += 1;
    served.set(target, (served.get(target) ?? 0) + 1);
    return new URL(target);
  };
  const server = http.createServer((req, res) => {
    const target = pick();
    const upstream = http.request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (response) => {
        res.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  server.on("upgrade", (req, socket, head) => {
    const target = pick();
    const upstream = net.connect(Number(target.port), target.hostname, () => {
      const headers = Object.entries(req.headers).map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(", ") : value}`);
      upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${headers.join("\r\n")}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    const close = () => {
      upstream.destroy();
      socket.destroy();
    };
    upstream.on("error", close);
    socket.on("error", close);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    served,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface PartyWorld {
  database: TestDatabase;
  /** Gateway A: auth, content and social instance 1. */
  a: RunningSupergraph;
  /** Gateway B: the same auth and content, social instance 2. */
  b: { gateway: RunningGateway; client: GraphQLClient; social: RunningSubgraph };
  /** Gateway C: one gateway with both social instances behind a round-robin load balancer. */
  c: { gateway: RunningGateway; client: GraphQLClient; proxy: RoundRobinProxy };
  /** `_entities` requests the auth subgraph has answered. */
  authEntityCalls(): number;
  /** A title every subscriber may watch. */
  contentId: string;
  newMember(label: string): Promise<Member>;
  stop(): Promise<void>;
}

let memberCounter = 0;

/** Counts `_entities` requests before they reach the subgraph's GraphQL handler. */
function countingEntities(definition: SubgraphDefinition<unknown>, counter: { calls: number }): SubgraphDefinition<unknown> {
  return {
    ...definition,
    onGraphQLRequest({ body }) {
      const query = (body as { query?: unknown } | undefined)?.query;
      if (typeof query === "string" && query.includes("_entities")) counter.calls += 1;
    },
  };
}

export async function startPartyWorld(settings: Partial<PartySettings> = {}): Promise<PartyWorld> {
  const database = await createTestDatabase({ seeded: true });
  const entityCounter = { calls: 0 };
  const auth = mapSubgraphDefinition(authSubgraph, (definition: SubgraphDefinition<unknown>) => countingEntities(definition, entityCounter));
  const social = socialSubgraphWith(settings);
  // The sharing test opens 100 sockets for one account (100 viewers); the default cap per account is 20.
  const a = await startSupergraph({ db: database.db, config: { WS_MAX_SOCKETS_PER_ACCOUNT: 200 }, subgraphs: [auth, contentSubgraph, social] });
  const contentSdl = a.definitions.content?.sdl ?? "";
  const socialSdl = a.definitions.social?.sdl ?? "";

  // The second instance: the same module, its own deps (a process of its own would have them), the same secrets.
  const social2 = await startTestSubgraph(social, { db: database.db, config: a.config });
  const supergraphB = composeSupergraph([
    { name: "auth", url: a.subgraphs.auth?.url ?? "", sdl: a.definitions.auth?.sdl ?? "" },
    { name: "content", url: a.subgraphs.content?.url ?? "", sdl: contentSdl },
    { name: "social", url: social2.url, sdl: socialSdl },
  ]);
  const gatewayB = await createGateway({ config: a.config, supergraph: { sdl: supergraphB }, port: 0, host: "127.0.0.1" });
  const proxy = await roundRobinProxy([a.subgraphs.social?.url ?? "", social2.url]);
  const supergraphC = composeSupergraph([
    { name: "auth", url: a.subgraphs.auth?.url ?? "", sdl: a.definitions.auth?.sdl ?? "" },
    { name: "content", url: a.subgraphs.content?.url ?? "", sdl: contentSdl },
    { name: "social", url: proxy.url, sdl: socialSdl },
  ]);
  const gatewayC = await createGateway({ config: a.config, supergraph: { sdl: supergraphC }, port: 0, host: "127.0.0.1" });

  // A published, family-friendly film: every profile may join.
  const film = await database.db.content.findFirstOrThrow({
    where: { type: "MOVIE", maturityRating: "G", publishedAt: { not: null } },
    orderBy: { id: "asc" },
    select: { id: true },
  });
  const plan = await database.db.plan.findUniqueOrThrow({ where: { code: "premium" } });

  return {
    database,
    a,
    b: { gateway: gatewayB, client: createClient(gatewayB.url), social: social2 },
    c: { gateway: gatewayC, client: createClient(gatewayC.url), proxy },
    authEntityCalls: () => entityCounter.calls,
    contentId: film.id,
    async newMember(label) {
      memberCounter += 1;
      const email = `party-${label}-${memberCounter}-${Date.now()}@example.com`;
      const signUp = await a.gql(
        `mutation ($input: SignUpInput!) { signUp(input: $input) { accessToken user { id } } }`,
        { input: { email, password: "party time 12345", name: `Member ${label}` } },
      );
      if (signUp.errors) throw new Error(JSON.stringify(signUp.errors));
      const token = signUp.data.signUp.accessToken as string;
      const userId = signUp.data.signUp.user.id as string;
      const profile = await a.gql(`mutation ($input: CreateProfileInput!) { createProfile(input: $input) { id name } }`, { input: { name: `Profile ${label}` } }, { token });
      if (profile.errors) throw new Error(JSON.stringify(profile.errors));
      // Entitlement comes from the payment tables; a subscription row is the fixture here.
      const now = new Date();
      await database.db.subscription.create({
        data: {
          userId,
          planId: plan.id,
          status: "ACTIVE",
          provider: "LOCAL",
          currentPeriodStart: now,
          currentPeriodEnd: new Date(now.getTime() + 30 * 24 * 3600 * 1000),
        },
      });
      return { userId, token, profileId: profile.data.createProfile.id, profileName: profile.data.createProfile.name };
    },
    async stop() {
      await gatewayC.stop();
      await proxy.stop();
      await gatewayB.stop();
      await social2.stop();
      await a.stop();
      await database.drop();
    },
  };
}

export interface Subscription<T> {
  events: T[];
  errors: unknown[];
  completed: boolean;
  /** Resolves once `count` events have arrived (or rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<T[]>;
  /** Resolves when the subscription errors or completes. */
  ended(timeoutMs?: number): Promise<void>;
  unsubscribe(): void;
}

export function wsClient(gatewayUrl: string, token: string | null, options: { sockets?: WebSocket[]; retry?: boolean } = {}): Client {
  return createWsClient({
    url: gatewayUrl.replace(/^http/, "ws"),
    webSocketImpl: class extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols);
        options.sockets?.push(this);
      }
    },
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: options.retry ? 10 : 0,
    retryWait: async () => new Promise((resolve) => setTimeout(resolve, 100)),
    shouldRetry: () => options.retry === true,
  });
}

function waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (check()) {
        clearInterval(timer);
        resolve();
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(timer);
        reject(new Error(`timed out waiting for ${what}`));
      }
    }, 10);
  });
}

export function subscribe<T>(client: Client, query: string, variables: Record<string, unknown>, field: string): Subscription<T> {
  const subscription: Subscription<T> = {
    events: [],
    errors: [],
    completed: false,
    waitFor: async (count, timeoutMs = 10_000) => {
      await waitUntil(() => subscription.events.length >= count || subscription.errors.length > 0, timeoutMs, `${count} ${field} events`);
      return subscription.events;
    },
    ended: (timeoutMs = 10_000) => waitUntil(() => subscription.completed || subscription.errors.length > 0, timeoutMs, `${field} to end`),
    unsubscribe: () => undefined,
  };
  subscription.unsubscribe = client.subscribe<Record<string, T>>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) subscription.errors.push(result.errors);
        const value = result.data?.[field];
        if (value) subscription.events.push(value);
      },
      error: (error) => subscription.errors.push(error),
      complete: () => {
        subscription.completed = true;
      },
    },
  );
  return subscription;
}

/**
 * Waits until every subscription is live end to end. The gateway counts a subscriber as soon as it asks, but the
 * subgraph subscribes in Redis a moment later, and an event published in between reaches no one (pub/sub keeps
 * nothing). So: send a probe event, and again, until each subscription has received one; then forget the probes.
 */
export async function untilLive<T>(subscriptions: Array<Subscription<T>>, sendProbe: (attempt: number) => Promise<void>, isProbe: (event: T, attempt: number) => boolean, attempts = 3): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    await sendProbe(attempt);
    const heard = await waitUntil(() => subscriptions.every((s) => s.events.some((event) => isProbe(event, attempt))), 2000, "the probe").then(
      () => true,
      () => false,
    );
    if (heard) {
      // Events keep their order on a channel: every earlier probe has arrived too.
      for (const s of subscriptions) s.events.splice(0);
      return;
    }
  }
  throw new Error(`the subscriptions were not live after ${attempts} probes`);
}

export const PARTY_MESSAGES = `subscription PartyMessages($sessionId: ID!) {
  partyMessageAdded(sessionId: $sessionId) { id text createdAt sender { id name } }
}`;

export const PARTY_SYNC = `subscription PartySync($sessionId: ID!) {
  partySync(sessionId: $sessionId) { sessionId action positionSeconds issuedAt by { id name } }
}`;

export const CREATE_PARTY = `mutation CreatePartyWatch($input: CreatePartyWatchInput!) {
  createPartyWatch(input: $input) {
    id inviteCode state positionSeconds
    host { id name }
    content { id title }
    members { profile { id name } role }
  }
}`;

export const JOIN_PARTY = `mutation JoinPartyWatch($inviteCode: String!, $profileId: ID!) {
  joinPartyWatch(inviteCode: $inviteCode, profileId: $profileId) { id state positionSeconds members { profile { id name } role } }
}`;

export const LEAVE_PARTY = `mutation LeavePartyWatch($sessionId: ID!) { leavePartyWatch(sessionId: $sessionId) }`;

export const SEND_MESSAGE = `mutation SendPartyMessage($sessionId: ID!, $text: String!) {
  sendPartyMessage(sessionId: $sessionId, text: $text) { id text createdAt sender { id name } }
}`;

export const CONTROL = `mutation ControlPartyPlayback($input: PartyControlInput!) {
  controlPartyPlayback(input: $input) { sessionId action positionSeconds issuedAt }
}`;

export { waitUntil };
