// One measured run of one screen against one target (our gateway, a peer gateway, the floor): the load
// client's figures, and for every process of the target (and PostgreSQL's backends of the bench database) the
// CPU time it used per request, from /proc; SQL statements and HTTP requests counted by the probes.
import type { LoadGenerator, RequestVariant } from "../load/index.ts";
import { summarize, type LatencySummary } from "../stats.ts";
import { allCpuMs, postgresBackends, type ServiceProcess } from "./processes.ts";

export interface ProcessFigure {
  name: string;
  /** CPU time per completed request, ms. */
  cpuMsPerRequest: number;
  /** Requests this process received (POST) per completed request. */
  requestsPerRequest: number;
  statementsPerRequest: number;
}

export interface ScreenRun {
  target: string;
  /** `x-cache` values counted over the measured requests (our gateway only). */
  cache: Record<string, number>;
  screen: string;
  completed: number;
  failed: number;
  firstFailure?: string;
  opsPerSecond: number;
  latency: LatencySummary;
  /** The entry process (gateway or floor). */
  frontCpuMsPerRequest: number;
  /** The subgraphs together (0 for the floor). */
  subgraphsCpuMsPerRequest: number;
  postgresCpuMsPerRequest: number;
  totalCpuMsPerRequest: number;
  statementsPerRequest: number;
  subgraphRequestsPerRequest: number;
  processes: ProcessFigure[];
  /** CPU of every other process on the machine during the run (load client included separately), in cores. */
  loadClientCores: number;
  otherCores: number;
  warmupFailure?: string;
}

export interface Target {
  name: string;
  /** The process the clients talk to. */
  front: ServiceProcess;
  url: string;
  /** Processes behind it (the subgraphs; none for the floor). */
  backends: ServiceProcess[];
}

export interface RunSpec {
  variants: RequestVariant[];
  concurrency: number;
  warmup: number;
  requests: number;
  maxDurationMs: number;
}

export async function measureScreen(load: LoadGenerator, target: Target, screen: string, databaseName: string, spec: RunSpec): Promise<ScreenRun> {
  const job = { url: target.url, variants: spec.variants, concurrency: spec.concurrency, maxDurationMs: spec.maxDurationMs };
  let warmupFailure: string | undefined;
  if (spec.warmup > 0) {
    const warm = await load.run({ ...job, requests: spec.warmup, maxDurationMs: Math.min(spec.maxDurationMs, 5000) });
    // Stock @apollo/gateway's default fetcher reuses keep-alive sockets the subgraph has just closed after a pause
    // ("socket hang up"): reported, not fatal; the measured run's errors are in the table.
    if (warm.failed > 0) warmupFailure = `${warm.failed} of ${warm.completed} warm-up requests failed; first: ${warm.firstFailure?.slice(0, 300) ?? "?"}`;
    if (warm.failed === warm.completed) throw new Error(`${target.name} ${screen}: ${warmupFailure}`);
  }
  const processes = [target.front, ...target.backends];
  const pgBefore = await postgresBackends(databaseName);
  const countsBefore = await Promise.all(processes.map((process) => process.counts()));
  const machineBefore = await allCpuMs();
  const started = performance.now();
  const result = await load.run({ ...job, requests: spec.requests });
  const seconds = (performance.now() - started) / 1000;
  const machineAfter = await allCpuMs();
  const countsAfter = await Promise.all(processes.map((process) => process.counts()));
  const pgAfter = await postgresBackends(databaseName);

  const n = result.completed;
  const delta = (pid: number) => (machineAfter.get(pid) ?? 0) - (machineBefore.get(pid) ?? 0);
  const figures: ProcessFigure[] = processes.map((process, index) => ({
    name: process.name,
    cpuMsPerRequest: delta(process.pid) / n,
    requestsPerRequest: ((countsAfter[index]?.requests ?? 0) - (countsBefore[index]?.requests ?? 0)) / n,
    statementsPerRequest: ((countsAfter[index]?.statements ?? 0) - (countsBefore[index]?.statements ?? 0)) / n,
  }));
  // Backends that came or went during the run count for the part of their life /proc still shows.
  const pgPids = new Set([...pgBefore, ...pgAfter]);
  let postgresMs = 0;
  for (const pid of pgPids) postgresMs += Math.max(0, delta(pid));
  const mine = new Set([...processes.map((process) => process.pid), ...pgPids, load.pid, process.pid]);
  let othersMs = 0;
  for (const pid of machineAfter.keys()) if (!mine.has(pid)) othersMs += Math.max(0, delta(pid));

  const front = figures[0];
  const backends = figures.slice(1);
  const subgraphsCpu = backends.reduce((sum, figure) => sum + figure.cpuMsPerRequest, 0);
  return {
    target: target.name,
    screen,
    completed: n,
    failed: result.failed,
    ...(result.firstFailure === undefined ? {} : { firstFailure: result.firstFailure }),
    opsPerSecond: n / seconds,
    latency: summarize(result.latenciesMs),
    cache: result.cache,
    frontCpuMsPerRequest: front?.cpuMsPerRequest ?? Number.NaN,
    subgraphsCpuMsPerRequest: subgraphsCpu,
    postgresCpuMsPerRequest: postgresMs / n,
    totalCpuMsPerRequest: (front?.cpuMsPerRequest ?? 0) + subgraphsCpu + postgresMs / n,
    // SQL of the processes that served this screen. The others' statements are their background work (event
    // relays and consumers polling): shown per process, not charged to the screen.
    statementsPerRequest: figures.reduce((sum, figure) => sum + (figure.requestsPerRequest > 0 ? figure.statementsPerRequest : 0), 0),
    subgraphRequestsPerRequest: backends.reduce((sum, figure) => sum + figure.requestsPerRequest, 0),
    processes: figures,
    loadClientCores: delta(load.pid) / 1000 / seconds,
    otherCores: othersMs / 1000 / seconds,
    ...(warmupFailure === undefined ? {} : { warmupFailure }),
  };
}
