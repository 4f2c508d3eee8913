// Shared by the content tests: the subgraph started as main.ts starts it (@watchflixx/testing's
// startTestSubgraph), and the seeded demo accounts as identities.
import { afterAll, beforeAll } from "vitest";
import type { Identity } from "@watchflixx/common";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import type { PrismaClient } from "@watchflixx/db";
import { startTestSubgraph, type TestSubgraph } from "@watchflixx/testing";
import { contentSubgraph, type ContentConfig, type Loaders } from "../src/index.ts";

export type ContentServer = TestSubgraph<ContentConfig, Loaders>;

/** `config` overrides the test configuration (e.g. a higher OPERATION_MAX_COST for a deliberately heavy query). */
export function startContent(db: PrismaClient, config: Partial<ContentConfig> = {}): Promise<ContentServer> {
  return startTestSubgraph(contentSubgraph, { db, config });
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

export interface SeededContent {
  database: TestDatabase;
  server: ContentServer;
  accounts: DemoAccounts;
}

/**
 * For a test file or describe block: a seeded database, the content subgraph on it and the demo accounts, made
 * before its tests and dropped after them (read the fields inside the tests).
 */
export function useSeededContent(): SeededContent {
  const seeded = {} as SeededContent;
  beforeAll(async () => {
    seeded.database = await createTestDatabase({ seeded: true });
    seeded.server = await startContent(seeded.database.db);
    seeded.accounts = await demoAccounts(seeded.database.db);
  });
  afterAll(async () => {
    await seeded.server?.stop();
    await seeded.database?.drop();
  });
  return seeded;
}
