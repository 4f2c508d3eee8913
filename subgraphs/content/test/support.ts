// Shared by the content tests: a database client that counts the SQL statements it sends, the subgraph
// started on a free port, and a client that signs the caller's identity the way the gateway does.
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@watchflixx/db";
import {
  baseConfigSchema,
  parseConfig,
  startSubgraph,
  type Identity,
  type RunningSubgraph,
} from "@watchflixx/common";
import { postToSubgraph } from "@watchflixx/testing";
import { createContentSubgraph } from "../src/index.ts";

export const config = parseConfig(baseConfigSchema, { NODE_ENV: "test", LOG_LEVEL: "warn" });

export interface SentStatement {
  text: string;
  values: unknown[];
}

export interface CountingDatabase {
  db: PrismaClient;
  /** SQL statements sent to PostgreSQL since the last reset (every query of every pooled connection). */
  statements(): SentStatement[];
  reset(): void;
  close(): Promise<void>;
}

/**
 * A Prisma client over a pg pool whose connections record every statement they send: the proof that a batch
 * is one query is counted on the wire, not in our own loaders.
 */
export function countingDatabase(url: string): CountingDatabase {
  const pool = new pg.Pool({ connectionString: url });
  let sent: SentStatement[] = [];
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const [first, second] = args;
      if (typeof first === "string") sent.push({ text: first, values: Array.isArray(second) ? second : [] });
      else {
        const config = (first ?? {}) as { text?: string; values?: unknown[] };
        sent.push({ text: String(config.text), values: config.values ?? (Array.isArray(second) ? second : []) });
      }
      return query(...args);
    };
  });
  const db = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    db,
    statements: () => [...sent],
    reset: () => {
      sent = [];
    },
    async close() {
      await db.$disconnect();
      await pool.end();
    },
  };
}

export interface GraphQLResponse {
  // Tests read whatever shape their operation asked for.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data?: any;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } & Record<string, unknown> }[];
}

export interface ContentServer {
  url: string;
  subgraph: RunningSubgraph;
  /** POSTs to the subgraph; with `as`, the caller's identity is signed like the gateway signs it. */
  gql(query: string, variables?: Record<string, unknown>, as?: Identity | null): Promise<GraphQLResponse>;
  stop(): Promise<void>;
}

/** `settings` overrides the test configuration (e.g. a higher OPERATION_MAX_COST for a deliberately heavy query). */
export async function startContent(db: PrismaClient, settings: Partial<typeof config> = {}): Promise<ContentServer> {
  const definition = await createContentSubgraph();
  const subgraph = await startSubgraph(definition, { db, config: { ...config, ...settings }, port: 0, host: "127.0.0.1" });
  return {
    url: subgraph.url,
    subgraph,
    gql: (query, variables = {}, as = null) =>
      postToSubgraph<GraphQLResponse>(subgraph.url, config.GATEWAY_SHARED_SECRET, query, variables, as),
    stop: () => subgraph.stop(),
  };
}

export interface DemoAccounts {
  alice: Identity;
  bob: Identity;
  staff: Identity;
  aliceProfileId: string;
  kidsProfileId: string;
  bobProfileId: string;
}

/** The seeded demo users (alice with an adult and a kids profile, bob, staff) as identities. */
export async function demoAccounts(db: PrismaClient): Promise<DemoAccounts> {
  const users = await db.user.findMany({
    where: { email: { in: ["alice@watchflixx.dev", "bob@watchflixx.dev", "staff@watchflixx.dev"] } },
    include: { profiles: true },
  });
  const user = (email: string) => {
    const found = users.find((candidate) => candidate.email === email);
    if (!found) throw new Error(`the seed has no ${email}`);
    return found;
  };
  const profile = (email: string, isKids: boolean) => {
    const found = user(email).profiles.find((candidate) => candidate.isKids === isKids);
    if (!found) throw new Error(`the seed gives ${email} no ${isKids ? "kids" : "adult"} profile`);
    return found.id;
  };
  const identity = (email: string): Identity => ({ userId: user(email).id, role: user(email).role, deviceId: null });
  return {
    alice: identity("alice@watchflixx.dev"),
    bob: identity("bob@watchflixx.dev"),
    staff: identity("staff@watchflixx.dev"),
    aliceProfileId: profile("alice@watchflixx.dev", false),
    kidsProfileId: profile("alice@watchflixx.dev", true),
    bobProfileId: profile("bob@watchflixx.dev", false),
  };
}

export const codes = (response: GraphQLResponse) => (response.errors ?? []).map((error) => error.extensions?.code);
