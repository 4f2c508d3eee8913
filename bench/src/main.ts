// `pnpm bench [--quick] [--big] [--only=...] [--concurrency=N]`: the benchmarks the project's speed and memory
// goals are checked by. Everything runs on this machine against 127.0.0.1: its own databases (dropped at the end),
// a private redis-server, the real supergraph in this process, and a load-generating child process.
// Every loop is bounded by a count or a duration (settings.ts); the process exits by itself.
import os from "node:os";
import { startLoadGenerator, type LoadGenerator } from "./load/index.ts";
import { loadFixtures } from "./fixtures.ts";
import { gatewaySchema } from "./operations.ts";
import { contractWorkloads, fanOutTable, gatewayTable, runGatewayThroughput, type GatewayReport } from "./scenarios/gateway.ts";
import { entitiesTable, runEntities } from "./scenarios/entities.ts";
import { fetcherTable, runFetcherComparison } from "./scenarios/fetcher.ts";
import { fanOutTables, runFanOut } from "./scenarios/subscriptions.ts";
import { runSeed, seedTable } from "./scenarios/seed.ts";
import { memoryTable, runMemory } from "./scenarios/memory.ts";
import { deploymentTables, runDeployment, writeResults } from "./deployment/index.ts";
import { parseSettings, USAGE, UsageError, type BenchSettings, type Scenario } from "./settings.ts";
import { fixed, gcAvailable, machineBusy, memory } from "./stats.ts";
import { startWorld, type BenchWorld } from "./world.ts";

const log = (line: string) => console.log(line);

function section(title: string): void {
  console.log(`\n## ${title}\n`);
}

function header(settings: BenchSettings): void {
  const cpus = os.cpus();
  console.log(`# WatchFlixx benchmarks (${settings.mode}${settings.big ? ", big" : ""})`);
  console.log(
    `node ${process.version}, ${cpus.length} × ${cpus[0]?.model.trim() ?? "cpu"}, ${fixed(os.totalmem() / 1024 ** 3, 0)} GB RAM; ` +
      `gateway runs: ${settings.concurrency} concurrent clients; GC for memory figures: ${gcAvailable() ? "yes (--expose-gc)" : "no (run through pnpm bench for --expose-gc)"}`,
  );
  console.log(`scenarios: ${[...settings.only].join(", ")}`);
}

/**
 * Other processes on the machine (test runs, a dev stack) take CPU from the benchmark: say how busy the machine
 * was while the benchmark itself was idle (a 1-second sample of /proc/stat).
 */
async function machineLine(when: string): Promise<string> {
  const busy = await machineBusy(1000);
  const [one] = os.loadavg();
  if (busy === null) return `load average ${when}: ${fixed(one, 2)}`;
  const warning = busy > 0.2 ? " — other work is running: figures will be low and noisy (server CPU ms/req is the steadier figure)" : "";
  return `CPU busy ${when} (benchmark idle, 1 s sample): ${fixed(busy * 100, 0)}% of ${os.cpus().length} cores; load average ${fixed(one, 2)}${warning}`;
}

async function main(): Promise<number> {
  let settings: BenchSettings | null;
  try {
    settings = parseSettings(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  if (!settings) {
    console.log(USAGE);
    return 0;
  }
  const runs = (scenario: Scenario) => settings.only.has(scenario);
  const started = performance.now();
  header(settings);
  console.log(await machineLine("before the run"));
  const startMemory = memory(true);

  if (runs("seed")) {
    section("Seed speed (a fresh migrated database each)");
    console.log(seedTable(await runSeed(settings.seed.titles, log)));
  }

  if (runs("deployment")) {
    section(`Deployment: production bundles, one process per service, ${settings.concurrency} concurrent clients; the floor, stock @apollo/gateway and Hive Gateway beside it`);
    const load = await startLoadGenerator();
    try {
      const before = await machineLine("before the deployment run");
      const report = await runDeployment(load, settings, log);
      console.log();
      console.log(deploymentTables(report));
      const file = writeResults(report, {
        writtenAt: new Date().toISOString(),
        mode: settings.mode,
        concurrency: settings.concurrency,
        node: process.version,
        cpus: `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? "cpu"}`,
        machineBefore: before,
        loadAverage: os.loadavg(),
      });
      log(`\nwritten to ${file}`);
    } finally {
      await load.close();
    }
  }

  const needsWorld = (["gateway", "fetcher", "entities", "subscriptions", "memory"] as const).some(runs);
  if (!needsWorld) return 0;

  let world: BenchWorld | undefined;
  let load: LoadGenerator | undefined;
  const stop = async () => {
    const stopping = [load?.close(), world?.stop()];
    load = undefined;
    world = undefined;
    await Promise.all(stopping);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: cleaning up (databases, redis-server, servers)`);
    void stop().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  try {
    section("Set-up");
    world = await startWorld({ ...(settings.catalogTitles === undefined ? {} : { titles: settings.catalogTitles }), log });
    load = await startLoadGenerator();
    const worldMemory = memory(true);
    log(`memory: RSS ${fixed(startMemory.rssMb, 0)} MB at start, ${fixed(worldMemory.rssMb, 0)} MB with the supergraph up (heap ${fixed(worldMemory.heapUsedMb, 0)} MB)`);
    const fixtures = await loadFixtures(world);
    const workloads = contractWorkloads(await gatewaySchema(world.supergraph.client), fixtures);
    for (const workload of workloads) {
      if (workload.operation.removed.length > 0) {
        log(`note: ${workload.name} runs without ${workload.operation.removed.join(", ")} (not in the running supergraph)`);
      }
    }

    let gateway: GatewayReport | undefined;
    if (runs("gateway")) {
      section(`1. Gateway throughput (${settings.concurrency} concurrent clients, ${settings.gateway.requests} requests each after ${settings.gateway.warmup} warm-up)`);
      gateway = await runGatewayThroughput(world, load, workloads, settings, log);
      console.log();
      console.log(gatewayTable(gateway));
      console.log("\nSubgraph requests per gateway request (of which _entities):\n");
      console.log(fanOutTable(gateway));
      for (const figure of gateway.figures) if (figure.firstFailure) console.log(`${figure.label}: first failure: ${figure.firstFailure}`);
    }

    if (runs("fetcher")) {
      section("Fetcher: @apollo/gateway's default vs the router's undici fetcher");
      const compared = workloads.filter((workload) => workload.name === "TvHome" || workload.name === "Browse");
      const rows = await runFetcherComparison(world, load, compared, settings, log);
      console.log();
      console.log(fetcherTable(rows));
    }

    if (runs("entities")) {
      section(`2. Batching: _entities with ${settings.entities.representations} Content representations, straight to the subgraph`);
      console.log(entitiesTable(await runEntities(world, load, settings, log)));
    }

    if (runs("subscriptions")) {
      section(`3. Subscription fan-out: ${settings.subscriptions.subscribers} graphql-ws subscribers to one party's partyMessageAdded`);
      console.log(fanOutTables(await runFanOut(world, load, settings, log)));
    }

    if (runs("memory")) {
      section(`5. Memory: ${settings.memory.rounds} rounds of ${settings.memory.requestsPerRound} requests (the four operations in turn)`);
      console.log(memoryTable(await runMemory(world, load, workloads, settings, log)));
    }
  } finally {
    await stop();
  }
  console.log(`\n${await machineLine("after the run")}`);
  console.log(`done in ${fixed((performance.now() - started) / 1000, 1)} s; databases dropped, servers stopped`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
