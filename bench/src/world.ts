// The benchmark's world: its own database (the seeded template, or a bigger catalog seeded here), a private
// redis-server, and the real supergraph in this process (every subgraph that exists, through
// `startSupergraph`), with counters for SQL statements and for the requests each subgraph answers.
import { existsSync } from "node:fs";
import path from "node:path";
import { mapSubgraphDefinition, repositoryRoot, type SubgraphDefinition } from "@watchflixx/common";
import { startTestRedis, type TestRedisServer } from "@watchflixx/common/testing/redis";
import type { PrismaClient } from "@watchflixx/db";
import { seed } from "@watchflixx/db/seed";
import { createTestDatabase } from "@watchflixx/db/testing";
import { countingDatabase, isSubgraphModule, startSupergraph, type RunningSupergraph, type SubgraphEntry } from "@watchflixx/testing";
import { authSubgraph } from "@watchflixx/auth";
import { contentSubgraph } from "@watchflixx/content";
import { paymentSubgraph } from "@watchflixx/payment";
import { socialSubgraphWith, type PartySettings } from "@watchflixx/social";
import { streamingSubgraph } from "@watchflixx/streaming";

/** A loose chat limit for the fan-out benchmark (the default is 5 messages / 5 s per member). */
export const BENCH_PARTY_SETTINGS: PartySettings = { maxMembers: 1000, chatLimit: { messages: 1_000_000, windowMs: 1000 } };

export interface SubgraphCounter {
  requests: number;
  entities: number;
}

export interface Counters {
  /** SQL statements sent on the wire, BEGIN/COMMIT included (all subgraphs share one client, as startSupergraph wires them). */
  statements(): number;
  subgraphs: Record<string, SubgraphCounter>;
}

export interface CounterSnapshot {
  statements: number;
  requests: number;
  entities: number;
  bySubgraph: Record<string, SubgraphCounter>;
}

export interface BenchWorld {
  databaseUrl: string;
  db: PrismaClient;
  /** How the database was made and how long that took. */
  databaseSetup: { description: string; ms: number };
  supergraph: RunningSupergraph;
  redis: TestRedisServer;
  running: string[];
  skipped: { name: string; reason: string }[];
  counters: Counters;
  snapshot(): CounterSnapshot;
  /** What happened between `before` and now. */
  since(before: CounterSnapshot): CounterSnapshot;
  stop(): Promise<void>;
}

/** Counts requests and `_entities` requests before they reach the subgraph's GraphQL handler. */
function counted<L>(definition: SubgraphDefinition<L>, counter: SubgraphCounter): SubgraphDefinition<L> {
  return {
    ...definition,
    onGraphQLRequest({ body }) {
      const query = (body as { query?: unknown } | undefined)?.query;
      counter.requests += 1;
      if (typeof query === "string" && query.includes("_entities")) counter.entities += 1;
    },
  };
}

function subgraphExists(name: string): boolean {
  return existsSync(path.join(repositoryRoot, "subgraphs", name, "src", "index.ts"));
}

async function optionalSubgraphs(skipped: BenchWorld["skipped"]): Promise<SubgraphEntry[]> {
  const definitions: SubgraphEntry[] = [];
  // Their event consumers stay off: the benchmark measures serving, and background polling would blur the counts.
  if (subgraphExists("analytics")) {
    try {
      const { analyticsSubgraphWith } = await import("@watchflixx/analytics");
      definitions.push(analyticsSubgraphWith({ consumer: false }));
    } catch (error) {
      skipped.push({ name: "analytics", reason: error instanceof Error ? error.message.split("\n")[0] ?? "" : String(error) });
    }
  } else skipped.push({ name: "analytics", reason: "subgraphs/analytics/src/index.ts does not exist" });
  if (subgraphExists("notification")) {
    try {
      const { notificationSubgraphWith } = await import("@watchflixx/notification");
      definitions.push(notificationSubgraphWith({ consumer: false, emailPollIntervalMs: 600_000 }));
    } catch (error) {
      skipped.push({ name: "notification", reason: error instanceof Error ? error.message.split("\n")[0] ?? "" : String(error) });
    }
  } else skipped.push({ name: "notification", reason: "subgraphs/notification/src/index.ts does not exist" });
  return definitions;
}

export interface WorldOptions {
  /** Catalog size: undefined = the seeded test template (500 titles); a number = a fresh database seeded here. */
  titles?: number;
  log(line: string): void;
}

export async function startWorld(options: WorldOptions): Promise<BenchWorld> {
  const started = performance.now();
  const database = await createTestDatabase({ seeded: options.titles === undefined });
  let description = "createTestDatabase({ seeded: true }) — a clone of the 500-title template";
  if (options.titles !== undefined) {
    const seeded = await seed(database.db, { titles: options.titles });
    description = `createTestDatabase() + seed(db, { titles: ${options.titles} }) — ${seeded.catalogRowsInserted.toLocaleString("en-US")} catalog rows`;
  }
  const databaseSetup = { description, ms: performance.now() - started };
  options.log(`database: ${description} in ${(databaseSetup.ms / 1000).toFixed(2)} s`);
  // Neither the seed nor a clone of the seeded template leaves planner statistics (pg_stats is empty), and a clone
  // is never auto-analyzed (nothing changes in it): without them PostgreSQL seq-scans child tables for
  // `content_id IN (...)`. A running production database has statistics (autovacuum), so measure with them.
  const analyzeStarted = performance.now();
  await database.db.$executeRawUnsafe("ANALYZE");
  options.log(`ANALYZE (planner statistics) in ${((performance.now() - analyzeStarted) / 1000).toFixed(2)} s`);
  // createTestDatabase's own client is only used for set-up: the subgraphs get one that counts the statements its
  // pg connections send (countingDatabase: adapter-pg over pg's default pool of 10, like createPrismaClient), and
  // keeps none of them (millions in a run).
  await database.db.$disconnect();

  const counting = countingDatabase(database.url, { keepStatements: false });
  const { db } = counting;
  const counters: Counters = { statements: counting.count, subgraphs: {} };

  let redis: TestRedisServer | undefined;
  try {
    redis = await startTestRedis();
    const skipped: BenchWorld["skipped"] = [];
    const definitions: SubgraphEntry[] = [
      authSubgraph,
      contentSubgraph,
      streamingSubgraph,
      paymentSubgraph,
      socialSubgraphWith(BENCH_PARTY_SETTINGS),
      ...(await optionalSubgraphs(skipped)),
    ];
    const wrapped = definitions.map((definition) => {
      const counter: SubgraphCounter = { requests: 0, entities: 0 };
      counters.subgraphs[definition.name] = counter;
      return isSubgraphModule(definition) ? mapSubgraphDefinition(definition, (made) => counted(made, counter)) : counted(definition, counter);
    });
    const supergraphStarted = performance.now();
    // The entities scenario sends 100 titles' full details (seasons, episodes, cast, crew) straight to the content
    // subgraph: an estimated cost far above any client operation's (OPERATION_MAX_COST), which is not what it measures.
    const supergraph = await startSupergraph({
      db,
      config: { LOG_LEVEL: "error", REDIS_URL: redis.url, OPERATION_MAX_COST: 1_000_000 },
      subgraphs: wrapped,
    });
    options.log(
      `supergraph: ${wrapped.map((definition) => definition.name).join(", ")} + gateway started in ${((performance.now() - supergraphStarted) / 1000).toFixed(2)} s` +
        (skipped.length > 0 ? `; skipped: ${skipped.map((item) => `${item.name} (${item.reason})`).join(", ")}` : ""),
    );

    const snapshot = (): CounterSnapshot => {
      const bySubgraph = Object.fromEntries(Object.entries(counters.subgraphs).map(([name, counter]) => [name, { ...counter }]));
      const all = Object.values(bySubgraph);
      return {
        statements: counters.statements(),
        requests: all.reduce((sum, counter) => sum + counter.requests, 0),
        entities: all.reduce((sum, counter) => sum + counter.entities, 0),
        bySubgraph,
      };
    };
    const stableRedis = redis;
    return {
      databaseUrl: database.url,
      db,
      databaseSetup,
      supergraph,
      redis: stableRedis,
      running: wrapped.map((definition) => definition.name),
      skipped,
      counters,
      snapshot,
      since(before) {
        const now = snapshot();
        return {
          statements: now.statements - before.statements,
          requests: now.requests - before.requests,
          entities: now.entities - before.entities,
          bySubgraph: Object.fromEntries(
            Object.entries(now.bySubgraph).map(([name, counter]) => [
              name,
              { requests: counter.requests - (before.bySubgraph[name]?.requests ?? 0), entities: counter.entities - (before.bySubgraph[name]?.entities ?? 0) },
            ]),
          ),
        };
      },
      async stop() {
        await supergraph.stop();
        await counting.close();
        await stableRedis.stop();
        await database.drop();
      },
    };
  } catch (error) {
    await counting.close().catch(() => undefined);
    await redis?.stop().catch(() => undefined);
    await database.drop();
    throw error;
  }
}
