// 5. Memory: RSS and heap (after a full GC when node runs with --expose-gc) after a warm-up and after each round
// of requests mixing the four contract operations. Steady figures round after round mean no leak.
import type { LoadGenerator } from "../load/index.ts";
import { sampleCpu } from "../machine.ts";
import { gcAvailable, fixed, integer, memory, summarize, table, type MemorySnapshot } from "../stats.ts";
import type { BenchWorld } from "../world.ts";
import type { BenchSettings } from "../settings.ts";
import type { Workload } from "./gateway.ts";

export interface MemoryPoint {
  label: string;
  requests: number;
  snapshot: MemorySnapshot;
  opsPerSecond?: number;
  p99?: number;
  failed?: number;
  /** CPU of other processes during the round (cores). */
  others?: number;
}

export interface MemoryReport {
  gc: boolean;
  points: MemoryPoint[];
  subscriptionClients: number;
}

export async function runMemory(world: BenchWorld, load: LoadGenerator, workloads: Workload[], settings: BenchSettings, log: (line: string) => void): Promise<MemoryReport> {
  const variants = workloads.flatMap((workload) => workload.variants);
  const { warmup, rounds, requestsPerRound } = settings.memory;
  const points: MemoryPoint[] = [{ label: "before warm-up", requests: 0, snapshot: memory(true) }];
  const warm = await load.run({ url: world.supergraph.url, variants, concurrency: settings.concurrency, requests: warmup, maxDurationMs: 60_000 });
  points.push({ label: "after warm-up", requests: warm.completed, snapshot: memory(true), failed: warm.failed });
  let total = warm.completed;
  for (let round = 1; round <= rounds; round += 1) {
    const sampler = await sampleCpu(() => [process.pid, load.pid]);
    const result = await load.run({ url: world.supergraph.url, variants, concurrency: settings.concurrency, requests: requestsPerRound, maxDurationMs: 120_000 });
    const machine = await sampler.stop();
    total += result.completed;
    const point: MemoryPoint = {
      label: `after round ${round}`,
      requests: total,
      snapshot: memory(true),
      opsPerSecond: (result.completed / result.elapsedMs) * 1000,
      p99: summarize(result.latenciesMs).p99,
      failed: result.failed,
      ...(machine ? { others: machine.others } : {}),
    };
    points.push(point);
    log(`  ${point.label}: ${integer(total)} requests, RSS ${fixed(point.snapshot.rssMb, 0)} MB, heap ${fixed(point.snapshot.heapUsedMb, 1)} MB`);
  }
  return { gc: gcAvailable(), points, subscriptionClients: world.supergraph.gateway.subscriptions?.stats().clients ?? 0 };
}

export function memoryTable(report: MemoryReport): string {
  const base = report.points.find((point) => point.label === "after warm-up")?.snapshot;
  return table(
    ["point", "requests so far", "RSS MB", "heap used MB", "heap vs warm-up MB", "round ops/s", "round p99 ms", "errors", "other procs CPU"],
    report.points.map((point) => [
      point.label,
      integer(point.requests),
      fixed(point.snapshot.rssMb, 0),
      fixed(point.snapshot.heapUsedMb, 1),
      base ? `${point.snapshot.heapUsedMb - base.heapUsedMb >= 0 ? "+" : ""}${fixed(point.snapshot.heapUsedMb - base.heapUsedMb, 1)}` : "-",
      fixed(point.opsPerSecond, 0),
      fixed(point.p99),
      integer(point.failed),
      point.others === undefined ? "-" : `${fixed(point.others * 100, 0)}%`,
    ]),
  );
}
