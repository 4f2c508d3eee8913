// The deployment benchmark (`pnpm bench --only=deployment`, part of the full run): the supergraph as production
// runs it (stack.ts), each screen at N concurrent clients through our gateway, through stock @apollo/gateway and
// Hive Gateway on the same subgraph processes, and served by the floor (bench/src/floor: the same JSON from hand-written SQL in
// one process). The floor's answer is checked equal to the gateway's before it is measured.
import { isDeepStrictEqual } from "node:util";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { repositoryRoot } from "@watchflixx/common";
import type { LoadGenerator } from "../load/index.ts";
import { DEPLOYMENT_TARGETS, type BenchSettings } from "../settings.ts";
import { fixed, integer, table } from "../stats.ts";
import { measureScreen, type ScreenRun, type Target } from "./measure.ts";
import { freePort, rssMb, startService, type ServiceProcess } from "./processes.ts";
import { loadScreenFixtures, screens, type Screen } from "./screens.ts";
import { startDeployment, tsxEnv, type DeploymentStack } from "./stack.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
export const RESULTS_FILE = path.join(repositoryRoot, "bench/results/latest.json");

export interface DeploymentReport {
  runs: ScreenRun[];
  /** RSS (MB) of every process: idle (started, no request yet) and after every run. */
  memory: { name: string; idleMb: number | null; afterMb: number | null }[];
  floorChecks: { screen: string; equal: boolean | null; note?: string }[];
  notes: string[];
}

async function startTsxServer(name: string, file: string, stack: DeploymentStack, probePath: string | null, env: Record<string, string> = {}): Promise<ServiceProcess> {
  const port = await freePort();
  return startService({
    name,
    port,
    args: ["--enable-source-maps", "--import", "tsx", file],
    env: { ...tsxEnv(stack.env), PEER_PORT: String(port), FLOOR_PORT: String(port), ...env },
    cwd: repositoryRoot,
    probePath,
  });
}

async function post(url: string, screen: Screen): Promise<{ status: number; json: unknown }> {
  const variant = screen.variants[0];
  if (!variant) throw new Error(`${screen.name} has no request`);
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...variant.headers }, body: variant.body });
  const text = await response.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // Kept as text: the comparison then fails and shows it.
  }
  return { status: response.status, json };
}

/** The pseudo-screen of one empty request to one subgraph (`--screens=FixedCost` alone measures only it). */
const FIXED_COST = "FixedCost";

export async function runDeployment(load: LoadGenerator, settings: BenchSettings, log: (line: string) => void): Promise<DeploymentReport> {
  const stack = await startDeployment(log, settings.entityCache);
  const extra: ServiceProcess[] = [];
  try {
    const idle = new Map<string, number | null>();
    for (const process of [stack.gateway, ...stack.subgraphs]) idle.set(process.name, await rssMb(process.pid));
    const fixtures = await loadScreenFixtures(stack.gatewayUrl, stack.database.url);
    const all = screens(fixtures);

    const apollo = await startTsxServer("stock @apollo/gateway", path.join(here, "peers/apollo-gateway.ts"), stack, null);
    extra.push(apollo);
    const hive = await startTsxServer("Hive Gateway", path.join(here, "peers/hive-gateway.ts"), stack, null);
    extra.push(hive);
    const hiveNoDedup = await startTsxServer("Hive Gateway, no de-dup", path.join(here, "peers/hive-gateway.ts"), stack, null, { HIVE_NO_DEDUP: "1" });
    extra.push(hiveNoDedup);
    const floor = await startTsxServer("floor", path.join(here, "../floor/server.ts"), stack, "/health");
    extra.push(floor);
    for (const process of extra) idle.set(process.name, await rssMb(process.pid));

    const floorUrl = `http://127.0.0.1:${floor.port}/graphql`;
    const targets: Target[] = [
      { name: "supergraph (our gateway)", front: stack.gateway, url: stack.gatewayUrl, backends: stack.subgraphs },
      { name: "stock @apollo/gateway", front: apollo, url: `http://127.0.0.1:${apollo.port}/`, backends: stack.subgraphs },
      { name: "Hive Gateway", front: hive, url: `http://127.0.0.1:${hive.port}/graphql`, backends: stack.subgraphs },
      { name: "Hive Gateway, no de-dup", front: hiveNoDedup, url: `http://127.0.0.1:${hiveNoDedup.port}/graphql`, backends: stack.subgraphs },
      { name: "floor", front: floor, url: floorUrl, backends: [] },
    ];

    // The floor is measured only where its answer is the gateway's, byte for byte once parsed.
    const floorChecks: DeploymentReport["floorChecks"] = [];
    const floorScreens = new Set<string>();
    for (const screen of all) {
      if (screen.name === "ReportProgress") {
        // A write: compared after the gateway's own heartbeat at the same position (same answer on repeat).
        await post(stack.gatewayUrl, screen);
      }
      const [ours, theirs] = await Promise.all([post(stack.gatewayUrl, screen), post(floorUrl, screen)]);
      if (theirs.status === 404) {
        floorChecks.push({ screen: screen.name, equal: null, note: "not served by the floor" });
        continue;
      }
      const equal = ours.status === 200 && isDeepStrictEqual(ours.json, theirs.json);
      floorChecks.push({ screen: screen.name, equal });
      if (!equal) {
        throw new Error(
          `the floor's ${screen.name} differs from the gateway's:\n gateway: ${JSON.stringify(ours.json).slice(0, 1500)}\n floor:   ${JSON.stringify(theirs.json).slice(0, 1500)}`,
        );
      }
      floorScreens.add(screen.name);
    }
    log(`floor answers equal to the gateway's: ${[...floorScreens].join(", ") || "none"}`);
    // The peers serve the same supergraph: their answers should be ours too (a difference is reported, not fatal).
    const notes: string[] = [];
    for (const peer of targets.filter((target) => target.name !== "floor" && target.front !== stack.gateway)) {
      for (const screen of all) {
        const [ours, theirs] = await Promise.all([post(stack.gatewayUrl, screen), post(peer.url, screen)]);
        if (!isDeepStrictEqual(ours.json, theirs.json)) notes.push(`${peer.name}'s ${screen.name} differs from our gateway's: ${JSON.stringify(theirs.json).slice(0, 300)}`);
      }
    }
    for (const note of notes) log(`note: ${note}`);

    const runs: ScreenRun[] = [];
    const spec = { concurrency: settings.concurrency, ...settings.deployment };
    for (const screen of all) {
      if (settings.screens && !settings.screens.has(screen.name)) continue;
      for (const [index, target] of targets.entries()) {
        if (settings.targets && !settings.targets.has(DEPLOYMENT_TARGETS[index] ?? "")) continue;
        if (target.name === "floor" && !floorScreens.has(screen.name)) continue;
        const run = await measureScreen(load, target, screen.name, stack.databaseName, { variants: screen.variants, ...spec });
        runs.push(run);
        if (run.warmupFailure) notes.push(`${screen.name} / ${target.name}: ${run.warmupFailure}`);
        log(
          `  ${screen.name} / ${target.name}: ${fixed(run.opsPerSecond, 0)} ops/s, p99 ${fixed(run.latency.p99)} ms, ` +
            `CPU ${fixed(run.totalCpuMsPerRequest, 2)} ms/req, ${run.failed} errors${run.firstFailure ? ` (${run.firstFailure.slice(0, 200)})` : ""}`,
        );
      }
    }
    // What one subgraph request costs before any work: `{ __typename }` sent straight to one subgraph (its HTTP
    // server, Apollo Server's pipeline, our guards; no resolver, no SQL). A screen pays it once per subgraph
    // request, on top of the gateway's own fixed cost (a whole answer from its cache: Search, cache on).
    const content = stack.subgraphs.find((process) => process.name === "content");
    if (content && (!settings.screens || settings.screens.has(FIXED_COST))) {
      const alone: Target = { name: "content subgraph alone", front: content, url: `http://127.0.0.1:${content.port}/graphql`, backends: [] };
      const run = await measureScreen(load, alone, FIXED_COST, stack.databaseName, { variants: [{ body: JSON.stringify({ query: "{ __typename }" }), headers: {} }], ...spec });
      runs.push(run);
      log(`  ${FIXED_COST} / ${alone.name}: ${fixed(run.opsPerSecond, 0)} ops/s, CPU ${fixed(run.totalCpuMsPerRequest, 2)} ms/req, ${run.failed} errors`);
    }
    const memory = [];
    for (const process of [stack.gateway, ...stack.subgraphs, ...extra]) {
      memory.push({ name: process.name, idleMb: idle.get(process.name) ?? null, afterMb: await rssMb(process.pid) });
    }
    return { runs, memory, floorChecks, notes };
  } finally {
    for (const process of extra) await process.stop();
    await stack.stop();
  }
}

function ratio(value: number, floor: number | undefined): string {
  return floor && floor > 0 ? `${fixed(value / floor, 1)}x` : "-";
}

export function deploymentTables(report: DeploymentReport): string {
  const floorOf = (screen: string) => report.runs.find((run) => run.screen === screen && run.target === "floor")?.totalCpuMsPerRequest;
  const main = table(
    ["screen", "served by", "ops/s", "p50 ms", "p95 ms", "p99 ms", "gateway/floor CPU ms/req", "subgraphs ms/req", "PostgreSQL ms/req", "total CPU ms/req", "vs floor", "SQL/req", "subgraph req/req", "errors", "other procs CPU"],
    report.runs.map((run) => [
      run.screen,
      run.target,
      fixed(run.opsPerSecond, 0),
      fixed(run.latency.p50),
      fixed(run.latency.p95),
      fixed(run.latency.p99),
      fixed(run.frontCpuMsPerRequest, 2),
      run.target === "floor" ? "-" : fixed(run.subgraphsCpuMsPerRequest, 2),
      fixed(run.postgresCpuMsPerRequest, 2),
      fixed(run.totalCpuMsPerRequest, 2),
      run.target === "floor" ? "1.0x" : ratio(run.totalCpuMsPerRequest, floorOf(run.screen)),
      fixed(run.statementsPerRequest, 1),
      run.target === "floor" ? "-" : fixed(run.subgraphRequestsPerRequest, 1),
      integer(run.failed),
      `${fixed(run.otherCores * 100, 0)}%`,
    ]),
  );
  const subgraphNames = [...new Set(report.runs.flatMap((run) => run.processes.slice(1).map((process) => process.name)))];
  const perSubgraph = table(
    ["screen", "served by", ...subgraphNames.map((name) => `${name} ms (req, SQL)`)],
    report.runs
      .filter((run) => run.target !== "floor")
      .map((run) => [
        run.screen,
        run.target,
        ...subgraphNames.map((name) => {
          const figure = run.processes.find((process) => process.name === name);
          if (!figure || (figure.requestsPerRequest === 0 && figure.cpuMsPerRequest < 0.05)) return "-";
          return `${fixed(figure.cpuMsPerRequest, 2)} (${fixed(figure.requestsPerRequest, 1)}, ${fixed(figure.statementsPerRequest, 1)})`;
        }),
      ]),
  );
  // Our gateway's entity cache, per screen, from the x-cache header of every measured answer: hit (everything from
  // the cache), partial (some fetches from it), miss, or none (nothing cacheable, e.g. a mutation).
  const cacheRuns = report.runs.filter((run) => Object.keys(run.cache ?? {}).length > 0);
  const share = (run: ScreenRun, outcome: string) => `${fixed((100 * (run.cache[outcome] ?? 0)) / Math.max(1, run.completed), 0)}%`;
  const cache = table(
    ["screen", "served by", "hit", "partial", "miss", "bypass", "no header"],
    cacheRuns.map((run) => {
      const counted = Object.values(run.cache).reduce((sum, count) => sum + count, 0);
      return [run.screen, run.target, share(run, "hit"), share(run, "partial"), share(run, "miss"), share(run, "bypass"), `${fixed((100 * (run.completed - counted)) / Math.max(1, run.completed), 0)}%`];
    }),
  );
  const memory = table(
    ["process", "RSS idle MB", "RSS after load MB"],
    report.memory.map((row) => [row.name, fixed(row.idleMb ?? Number.NaN, 0), fixed(row.afterMb ?? Number.NaN, 0)]),
  );
  const notes = report.notes.length > 0 ? ["\nNotes:\n", ...report.notes.map((note) => `- ${note}`)] : [];
  return [main, "\nPer subgraph: CPU ms per request (its requests, its SQL statements per request):\n", perSubgraph, ...(cacheRuns.length > 0 ? ["\nEntity cache, share of answers per x-cache value:\n", cache] : []), "\nMemory:\n", memory, ...notes].join("\n");
}

export function writeResults(report: DeploymentReport, context: Record<string, unknown>): string {
  mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify({ ...context, ...report }, null, 2)}\n`);
  return path.relative(repositoryRoot, RESULTS_FILE);
}
