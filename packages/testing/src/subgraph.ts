// One subgraph on its own, started exactly as its main.ts starts it (the same deps, built by the same
// function from its own config schema), on a free port, with a client that signs the caller the way the gateway
// signs it. For tests of one subgraph that need no gateway.
import {
  launchSubgraph,
  parseConfig,
  type GivenDeps,
  type Identity,
  type LaunchedSubgraph,
  type ServeOptions,
  type SubgraphConfig,
  type SubgraphModule,
} from "@watchflixx/common";
import type { PrismaClient } from "@watchflixx/db";
import { postToSubgraph, type GraphQLResult } from "./index.ts";

/** What every test process runs with: NODE_ENV=test, LOG_LEVEL=warn, development secrets. */
export const TEST_ENVIRONMENT = { NODE_ENV: "test", LOG_LEVEL: "warn" } as const;

/** The subgraph's own config schema over the test environment (`env`), then `overrides` (parsed values) on top. */
export function testSubgraphConfig<C extends SubgraphConfig>(
  module: Pick<SubgraphModule<C>, "configSchema">,
  overrides: Partial<C> = {},
  env: Record<string, string | undefined> = {},
): C {
  return { ...parseConfig(module.configSchema, { ...TEST_ENVIRONMENT, ...env }), ...overrides };
}

export interface TestSubgraphOptions<C extends SubgraphConfig> extends Omit<GivenDeps, "db">, Pick<ServeOptions, "heartbeat" | "eventRelay"> {
  /** The test's database (`createTestDatabase().db`, or a `countingDatabase(url).db`). */
  db: PrismaClient;
  /** Parsed values over the test config, e.g. `{ OPERATION_MAX_COST: 1_000_000 }`. */
  config?: Partial<C>;
  /** Raw variables for the subgraph's own settings, parsed by its schema as main.ts parses the environment. */
  env?: Record<string, string | undefined>;
}

export interface TestSubgraph<C extends SubgraphConfig, L> extends LaunchedSubgraph<C, L> {
  /** POSTs to the subgraph; with `as`, the caller's identity is signed like the gateway signs it. */
  gql<TData = any>(query: string, variables?: Record<string, unknown>, as?: Identity | null): Promise<GraphQLResult<TData>>;
}

export async function startTestSubgraph<C extends SubgraphConfig, L>(module: SubgraphModule<C, L>, options: TestSubgraphOptions<C>): Promise<TestSubgraph<C, L>> {
  const config = testSubgraphConfig(module, options.config, options.env);
  const { db, bus, logger, heartbeat, eventRelay } = options;
  const running = await launchSubgraph(module, { config, given: { db, bus, logger }, port: 0, host: "127.0.0.1", heartbeat, eventRelay });
  return {
    ...running,
    gql: (query, variables = {}, as = null) => postToSubgraph(running.url, config.GATEWAY_SHARED_SECRET, query, variables, as),
  };
}
