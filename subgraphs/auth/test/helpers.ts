// Starts the auth subgraph on a database of its own, with a Prisma client that counts the SQL statements it
// sends (to prove batching), and posts operations to it as the gateway would: identity in signed headers.
import { PrismaPg } from "@prisma/adapter-pg";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { PrismaClient } from "@watchflixx/db";
import {
  baseConfigSchema,
  parseConfig,
  startSubgraph,
  verifyAccessToken,
  type Identity,
  type RunningSubgraph,
} from "@watchflixx/common";
import { postToSubgraph } from "@watchflixx/testing";
import { createAuthSubgraph } from "../src/index.ts";

export interface GraphQLResponse<T = any> {
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [key: string]: unknown } }[];
}

export interface AuthHarness {
  database: TestDatabase;
  /** The client the subgraph uses: every SQL statement it sends is counted in `statements`. */
  db: PrismaClient;
  statements: string[];
  server: RunningSubgraph;
  config: ReturnType<typeof harnessConfig>;
  post<T = any>(query: string, variables?: Record<string, unknown>, identity?: Identity | null): Promise<GraphQLResponse<T>>;
  /** The identity the gateway would forward for this access token. */
  identityOf(accessToken: string): Promise<Identity>;
  stop(): Promise<void>;
}

function harnessConfig() {
  return parseConfig(baseConfigSchema, { NODE_ENV: "test", LOG_LEVEL: "error" });
}

export async function startAuth(): Promise<AuthHarness> {
  const config = harnessConfig();
  const database = await createTestDatabase();
  const statements: string[] = [];
  const db = new PrismaClient({
    adapter: new PrismaPg({ connectionString: database.url }),
    log: [{ emit: "event", level: "query" }],
  });
  db.$on("query", (event) => statements.push(event.query));
  const definition = await createAuthSubgraph();
  const server = await startSubgraph(definition, { db, config, port: 0, host: "127.0.0.1" });
  return {
    database,
    db,
    statements,
    server,
    config,
    post: (query, variables = {}, identity = null) =>
      postToSubgraph<GraphQLResponse>(server.url, config.GATEWAY_SHARED_SECRET, query, variables, identity),
    async identityOf(accessToken) {
      const result = await verifyAccessToken(accessToken, config.JWT_ACCESS_SECRET);
      if (!("identity" in result)) throw new Error(`access token did not verify: ${result.error}`);
      return result.identity;
    },
    async stop() {
      await server.stop();
      await db.$disconnect();
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
  const result = await harness.post(SIGN_UP, { input });
  if (result.errors) throw new Error(`signUp failed: ${JSON.stringify(result.errors)}`);
  const payload = result.data.signUp as { accessToken: string; refreshToken: string; user: { id: string; email: string } };
  return { ...payload, input, identity: await harness.identityOf(payload.accessToken) };
}

export function codeOf(result: GraphQLResponse): string | undefined {
  return result.errors?.[0]?.extensions?.code;
}
