// Starts the auth subgraph as main.ts starts it (@watchflixx/testing's startTestSubgraph), on a database of its
// own through a client that counts the SQL statements it sends (to prove batching), and signs up fresh accounts.
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import type { PrismaClient } from "@watchflixx/db";
import { verifyAccessToken, type Identity } from "@watchflixx/common";
import { countingDatabase, startTestSubgraph, type CountingDatabase, type TestSubgraph } from "@watchflixx/testing";
import { authSubgraph, type AuthConfig, type AuthLoaders } from "../src/index.ts";

export type AuthServer = TestSubgraph<AuthConfig, AuthLoaders>;

export interface AuthHarness {
  database: TestDatabase;
  /** The client the subgraph uses: every SQL statement it sends is counted by `counter`. */
  db: PrismaClient;
  counter: CountingDatabase;
  server: AuthServer;
  config: AuthConfig;
  gql: AuthServer["gql"];
  /** The identity the gateway would forward for this access token. */
  identityOf(accessToken: string): Promise<Identity>;
  stop(): Promise<void>;
}

export async function startAuth(): Promise<AuthHarness> {
  const database = await createTestDatabase();
  const counter = countingDatabase(database.url);
  const server = await startTestSubgraph(authSubgraph, { db: counter.db });
  const config = server.deps.config;
  return {
    database,
    db: counter.db,
    counter,
    server,
    config,
    gql: server.gql,
    async identityOf(accessToken) {
      const result = await verifyAccessToken(accessToken, config.JWT_ACCESS_SECRET);
      if (!("identity" in result)) throw new Error(`access token did not verify: ${result.error}`);
      return result.identity;
    },
    async stop() {
      await server.stop();
      await counter.close();
      await database.drop();
    },
  };
}

export const SIGN_UP = `mutation ($input: SignUpInput!) {
  signUp(input: $input) { accessToken refreshToken user { id email name role } }
}`;

let counter = 0;
/** Signs up a fresh account and returns its tokens and the identity the gateway would forward. */
export async function signUp(harness: AuthHarness, overrides: Partial<{ email: string; password: string; name: string }> = {}) {
  counter += 1;
  const input = { email: `viewer${counter}-${Date.now()}@example.com`, password: "correct horse battery", name: `Viewer ${counter}`, ...overrides };
  const result = await harness.gql(SIGN_UP, { input });
  if (result.errors) throw new Error(`signUp failed: ${JSON.stringify(result.errors)}`);
  const payload = result.data.signUp as { accessToken: string; refreshToken: string; user: { id: string; email: string } };
  return { ...payload, input, identity: await harness.identityOf(payload.accessToken) };
}
