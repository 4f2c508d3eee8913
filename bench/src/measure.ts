// One measured load run against the in-process supergraph: latency and throughput from the load client, plus
// what the server side did meanwhile (SQL statements, subgraph requests, CPU, event-loop use, memory).
import { performance } from "node:perf_hooks";
import type { LoadGenerator, LoadResult, RequestVariant } from "./load/index.ts";
import { sampleCpu, type CpuShares } from "./machine.ts";
import { memory, summarize, type LatencySummary, type MemorySnapshot } from "./stats.ts";
import type { BenchWorld, CounterSnapshot } from "./world.ts";

export interface RunSpec {
  label: string;
  url: string;
  variants: RequestVariant[];
  concurrency: number;
  warmup: number;
  requests: number;
  maxDurationMs: number;
}

export interface RunFigures {
  label: string;
  concurrency: number;
  completed: number;
  failed: number;
  firstFailure?: string;
  opsPerSecond: number;
  latency: LatencySummary;
  elapsedMs: number;
  /** Server-side counts per completed request. */
  statementsPerRequest: number;
  subgraphRequestsPerRequest: number;
  counts: CounterSnapshot;
  /** This process's CPU time over wall time (1 = one core busy). */
  serverCpu: number;
  /** This process's CPU time per completed request (ms): less sensitive than ops/s to other load on the machine. */
  serverCpuMsPerRequest: number;
  /** Event-loop utilization of this process (gateway and subgraphs share it). */
  eventLoopUtilization: number;
  clientCpu: number;
  /** CPU used meanwhile by PostgreSQL (all of it) and by processes other than the benchmark's and PostgreSQL's. */
  machine: CpuShares | null;
  memoryBefore: MemorySnapshot;
  memoryAfter: MemorySnapshot;
}

export function graphqlBody(query: string, variables: Record<string, unknown> = {}): string {
  return JSON.stringify({ query, variables });
}

export function bearer(token: string | undefined): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

export async function measure(load: LoadGenerator, world: BenchWorld | undefined, spec: RunSpec): Promise<RunFigures> {
  if (spec.warmup > 0) {
    const warm = await load.run({ url: spec.url, variants: spec.variants, concurrency: spec.concurrency, requests: spec.warmup, maxDurationMs: spec.maxDurationMs });
    if (warm.failed > 0) throw new Error(`${spec.label}: ${warm.failed} of ${warm.completed} warm-up requests failed; first: ${warm.firstFailure ?? "?"}`);
  }
  const memoryBefore = memory(true);
  const counts = world?.snapshot();
  const sampler = await sampleCpu(() => [process.pid, load.pid]);
  const cpuBefore = process.cpuUsage();
  const eluBefore = performance.eventLoopUtilization();
  const wallBefore = performance.now();
  const result: LoadResult = await load.run({
    url: spec.url,
    variants: spec.variants,
    concurrency: spec.concurrency,
    requests: spec.requests,
    maxDurationMs: spec.maxDurationMs,
  });
  const wall = performance.now() - wallBefore;
  const cpu = process.cpuUsage(cpuBefore);
  const elu = performance.eventLoopUtilization(eluBefore);
  const machine = await sampler.stop();
  const delta = counts && world ? world.since(counts) : { statements: Number.NaN, requests: Number.NaN, entities: Number.NaN, bySubgraph: {} };
  const memoryAfter = memory(false);
  return {
    label: spec.label,
    concurrency: spec.concurrency,
    completed: result.completed,
    failed: result.failed,
    ...(result.firstFailure === undefined ? {} : { firstFailure: result.firstFailure }),
    opsPerSecond: (result.completed / result.elapsedMs) * 1000,
    latency: summarize(result.latenciesMs),
    elapsedMs: result.elapsedMs,
    statementsPerRequest: delta.statements / result.completed,
    subgraphRequestsPerRequest: delta.requests / result.completed,
    counts: delta,
    serverCpu: (cpu.user + cpu.system) / 1000 / wall,
    serverCpuMsPerRequest: (cpu.user + cpu.system) / 1000 / result.completed,
    eventLoopUtilization: elu.utilization,
    clientCpu: result.clientCpuMs / result.elapsedMs,
    machine,
    memoryBefore,
    memoryAfter,
  };
}
