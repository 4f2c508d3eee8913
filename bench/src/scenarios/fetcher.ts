// The fetcher comparison. `createGateway` does not let a caller choose the subgraph fetcher (it always uses
// router/src/fetcher.ts, undici), so the comparison runs on two bare gateways built here the same way —
// ApolloGateway + RemoteGraphQLDataSource with the router's identity headers, behind Apollo Server's standalone
// HTTP server — that differ only in the fetcher: @apollo/gateway's default (make-fetch-happen) or the router's.
// Rounds alternate the order (A B, B A, ...) so that drift does not favour one side.
import { randomUUID } from "node:crypto";
import { ApolloGateway, RemoteGraphQLDataSource } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { authenticate, setCallerClaims, signingFetcher, type GatewayConfig, type GatewayContext } from "@watchflixx/router";
// Not exported by @watchflixx/router: read from its source, so that the comparison uses the gateway's own fetcher.
import { createSubgraphFetcher } from "../../../router/src/fetcher.ts";
import type { LoadGenerator } from "../load/index.ts";
import { measure, type RunFigures } from "../measure.ts";
import type { BenchSettings } from "../settings.ts";
import { fixed, table } from "../stats.ts";
import type { BenchWorld } from "../world.ts";
import type { Workload } from "./gateway.ts";

type FetcherKind = "bare gateway, default fetcher (make-fetch-happen)" | "bare gateway, undici (router/src/fetcher.ts)" | "the router (createGateway, undici)";
const KINDS: FetcherKind[] = [
  "bare gateway, default fetcher (make-fetch-happen)",
  "bare gateway, undici (router/src/fetcher.ts)",
  "the router (createGateway, undici)",
];

interface BareGateway {
  url: string;
  stop(): Promise<void>;
}

const quiet = { debug: () => undefined, info: () => undefined, warn: (message: unknown) => console.warn(String(message)), error: (message: unknown) => console.error(String(message)) };

async function startBareGateway(supergraphSdl: string, config: GatewayConfig, kind: FetcherKind): Promise<BareGateway> {
  const undici = kind.includes("undici") ? createSubgraphFetcher() : undefined;
  const gateway = new ApolloGateway({
    supergraphSdl,
    logger: quiet,
    buildService: ({ name, url }) => {
      const source = new RemoteGraphQLDataSource<GatewayContext>({
        url,
        ...(undici ? { fetcher: undici.fetcherFor(name) } : {}),
        willSendRequest({ request, context }) {
          setCallerClaims(request.http?.headers, { identity: context.identity, clientAddress: context.clientAddress });
        },
      });
      // The identity is signed over the body, as the router does: around whichever fetcher is compared.
      source.fetcher = signingFetcher(source.fetcher, config.GATEWAY_SHARED_SECRET);
      return source;
    },
  });
  const server = new ApolloServer<GatewayContext>({ gateway, logger: quiet, csrfPrevention: true });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: "127.0.0.1" },
    context: async ({ req }) => ({
      identity: await authenticate(req.headers.authorization, config.JWT_ACCESS_SECRET),
      requestId: randomUUID(),
      clientAddress: req.socket.remoteAddress ?? null,
    }),
  });
  return {
    url: url.replace("localhost", "127.0.0.1"),
    async stop() {
      await server.stop();
      await undici?.close();
    },
  };
}

export interface FetcherRow {
  operation: string;
  kind: FetcherKind;
  runs: RunFigures[];
}

export async function runFetcherComparison(
  world: BenchWorld,
  load: LoadGenerator,
  workloads: Workload[],
  settings: BenchSettings,
  log: (line: string) => void,
): Promise<FetcherRow[]> {
  const rows: FetcherRow[] = [];
  const gateways = new Map<FetcherKind, BareGateway>();
  try {
    for (const kind of KINDS) {
      if (kind.startsWith("bare")) gateways.set(kind, await startBareGateway(world.supergraph.supergraphSdl, world.supergraph.config, kind));
    }
    // The real router, in the same rotation, for reference (its own stop belongs to the world).
    const router: BareGateway = { url: world.supergraph.url, stop: async () => undefined };
    gateways.set("the router (createGateway, undici)", router);
    for (const workload of workloads) {
      const byKind = new Map<FetcherKind, FetcherRow>(KINDS.map((kind) => [kind, { operation: workload.name, kind, runs: [] }]));
      for (let round = 0; round < settings.fetcher.rounds; round += 1) {
        // Rotate the order round by round, so that no contender always runs first (or last).
        const order = KINDS.map((_kind, index) => KINDS[(index + round) % KINDS.length]).filter((kind): kind is FetcherKind => kind !== undefined);
        for (const kind of order) {
          const gateway = gateways.get(kind);
          if (!gateway) continue;
          const figures = await measure(load, world, {
            label: `${workload.name} / ${kind}`,
            url: gateway.url,
            variants: workload.variants,
            concurrency: settings.concurrency,
            warmup: settings.fetcher.warmup,
            requests: settings.fetcher.requests,
            maxDurationMs: settings.fetcher.maxDurationMs,
          });
          if (figures.failed > 0) throw new Error(`${figures.label}: ${figures.failed} requests failed; first: ${figures.firstFailure ?? "?"}`);
          byKind.get(kind)?.runs.push(figures);
        }
      }
      for (const row of byKind.values()) {
        rows.push(row);
        log(`  ${workload.name} / ${row.kind}: ${row.runs.map((run) => fixed(run.opsPerSecond, 0)).join(", ")} ops/s`);
      }
    }
  } finally {
    for (const gateway of gateways.values()) await gateway.stop();
  }
  return rows;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
}

/** CPU time per request over all rounds (total CPU / total requests). */
function cpuPerRequest(row: FetcherRow): number {
  const cpu = row.runs.reduce((sum, run) => sum + run.serverCpuMsPerRequest * run.completed, 0);
  return cpu / row.runs.reduce((sum, run) => sum + run.completed, 0);
}

export function fetcherTable(rows: readonly FetcherRow[]): string {
  const body = rows.map((row) => {
    const opsPerSecond = median(row.runs.map((run) => run.opsPerSecond));
    const baseline = rows.find((other) => other.operation === row.operation && other.kind.includes("default"));
    const baselineOps = baseline ? median(baseline.runs.map((run) => run.opsPerSecond)) : Number.NaN;
    const baselineCpu = baseline ? cpuPerRequest(baseline) : Number.NaN;
    return [
      row.operation,
      row.kind,
      row.runs.map((run) => fixed(run.opsPerSecond, 0)).join(" / "),
      fixed(opsPerSecond, 0),
      fixed(median(row.runs.map((run) => run.latency.p50))),
      fixed(median(row.runs.map((run) => run.latency.p99))),
      fixed(cpuPerRequest(row), 2),
      `${fixed(median(row.runs.map((run) => (run.machine?.others ?? Number.NaN) * 100)), 0)}%`,
      `${fixed(opsPerSecond / baselineOps, 2)}x`,
      `${fixed(baselineCpu / cpuPerRequest(row), 2)}x`,
    ];
  });
  return table(
    ["operation", "gateway / fetcher", "ops/s per round", "median ops/s", "p50 ms", "p99 ms", "server CPU ms/req", "other procs CPU", "ops/s vs default", "requests per CPU-second vs default"],
    body,
  );
}
