// 1. Gateway query throughput: the contract's Browse, ContentDetails, TvHome and Search with N concurrent clients.
import type { GraphQLSchema } from "graphql";
import type { Fixtures } from "../fixtures.ts";
import type { LoadGenerator, RequestVariant } from "../load/index.ts";
import { bearer, graphqlBody, measure, type RunFigures } from "../measure.ts";
import { contractOperation, type ContractOperation } from "../operations.ts";
import type { BenchSettings } from "../settings.ts";
import { fixed, integer, table } from "../stats.ts";
import type { BenchWorld } from "../world.ts";

export interface Workload {
  name: string;
  description: string;
  operation: ContractOperation;
  variants: RequestVariant[];
}

export function contractWorkloads(schema: GraphQLSchema, fixtures: Fixtures): Workload[] {
  const browse = contractOperation(schema, "web/catalog.graphql", "Browse");
  const details = contractOperation(schema, "web/catalog.graphql", "ContentDetails");
  const home = contractOperation(schema, "tv/home.graphql", "TvHome");
  const search = contractOperation(schema, "web/catalog.graphql", "Search");
  const signedIn = bearer(fixtures.token);
  return [
    {
      name: "Browse",
      description: "first: 20 with averageRating, anonymous",
      operation: browse,
      variants: [{ body: graphqlBody(browse.text, { first: 20 }), headers: {} }],
    },
    {
      name: "ContentDetails",
      description: "a series (seasons, episodes, reviews), with the viewer's profileId",
      operation: details,
      variants: [{ body: graphqlBody(details.text, { id: fixtures.seriesId, profileId: fixtures.profileId }), headers: signedIn }],
    },
    {
      name: "TvHome",
      description: "signed in, a profile with watchlist and history",
      operation: home,
      variants: [{ body: graphqlBody(home.text, { profileId: fixtures.profileId }), headers: signedIn }],
    },
    {
      name: "Search",
      description: `first: 20, ${fixtures.searchTerms.length} words in turn, anonymous`,
      operation: search,
      variants: fixtures.searchTerms.map((query) => ({ body: graphqlBody(search.text, { query, first: 20 }), headers: {} })),
    },
  ];
}

export interface GatewayReport {
  workloads: Workload[];
  figures: RunFigures[];
}

export async function runGatewayThroughput(
  world: BenchWorld,
  load: LoadGenerator,
  workloads: Workload[],
  settings: BenchSettings,
  log: (line: string) => void,
): Promise<GatewayReport> {
  const figures: RunFigures[] = [];
  const runs = workloads.map((workload) => ({ label: workload.name, url: world.supergraph.url, variants: workload.variants }));
  // The gateway's share: Search (one subgraph request) sent straight to the content subgraph, no gateway.
  const search = workloads.find((workload) => workload.name === "Search");
  const content = world.supergraph.subgraphs.content;
  if (search && content) runs.push({ label: "Search, straight to the content subgraph", url: content.url, variants: search.variants });
  for (const run of runs) {
    const result = await measure(load, world, {
      label: run.label,
      url: run.url,
      variants: run.variants,
      concurrency: settings.concurrency,
      warmup: settings.gateway.warmup,
      requests: settings.gateway.requests,
      maxDurationMs: settings.gateway.maxDurationMs,
    });
    figures.push(result);
    log(`  ${run.label}: ${fixed(result.opsPerSecond, 0)} ops/s, p50 ${fixed(result.latency.p50)} ms, p99 ${fixed(result.latency.p99)} ms`);
  }
  return { workloads, figures };
}

export function gatewayTable(report: GatewayReport): string {
  return table(
    ["operation", "clients", "requests", "errors", "ops/s", "p50 ms", "p95 ms", "p99 ms", "SQL/req", "subgraph req/req", "server CPU ms/req", "server CPU", "event loop", "client CPU", "postgres CPU", "other procs CPU", "RSS before→after MB", "heap before→after MB"],
    report.figures.map((figure) => [
      figure.label,
      String(figure.concurrency),
      integer(figure.completed),
      integer(figure.failed),
      fixed(figure.opsPerSecond, 0),
      fixed(figure.latency.p50),
      fixed(figure.latency.p95),
      fixed(figure.latency.p99),
      fixed(figure.statementsPerRequest),
      fixed(figure.subgraphRequestsPerRequest),
      fixed(figure.serverCpuMsPerRequest),
      `${fixed(figure.serverCpu * 100, 0)}%`,
      `${fixed(figure.eventLoopUtilization * 100, 0)}%`,
      `${fixed(figure.clientCpu * 100, 0)}%`,
      figure.machine ? `${fixed(figure.machine.postgres * 100, 0)}%` : "-",
      figure.machine ? `${fixed(figure.machine.others * 100, 0)}%` : "-",
      `${fixed(figure.memoryBefore.rssMb, 0)}→${fixed(figure.memoryAfter.rssMb, 0)}`,
      `${fixed(figure.memoryBefore.heapUsedMb, 0)}→${fixed(figure.memoryAfter.heapUsedMb, 0)}`,
    ]),
  );
}

/** Which subgraphs each operation reached, per request. */
export function fanOutTable(report: GatewayReport): string {
  const names = [...new Set(report.figures.flatMap((figure) => Object.keys(figure.counts.bySubgraph)))];
  return table(
    ["operation", ...names.map((name) => `${name} req (_entities)`)],
    report.figures.map((figure) => [
      figure.label,
      ...names.map((name) => {
        const counter = figure.counts.bySubgraph[name];
        if (!counter || counter.requests === 0) return "-";
        return `${fixed(counter.requests / figure.completed)} (${fixed(counter.entities / figure.completed)})`;
      }),
    ]),
  );
}
