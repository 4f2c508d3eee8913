// Command-line flags and the fixed counts each mode runs (every loop in the benchmark is bounded by these).

export const SCENARIOS = ["deployment", "seed", "gateway", "fetcher", "entities", "subscriptions", "memory"] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface BenchSettings {
  mode: "quick" | "full";
  big: boolean;
  only: Set<Scenario>;
  /** Concurrent clients for the gateway runs. */
  concurrency: number;
  /** The deployment gateway's entity cache (ENTITY_CACHE): on by default, as in production. */
  entityCache: "on" | "off";
  /** Catalog for the gateway world: undefined = the 500-title seeded template. */
  catalogTitles: number | undefined;
  gateway: { warmup: number; requests: number; maxDurationMs: number };
  fetcher: { rounds: number; warmup: number; requests: number; maxDurationMs: number };
  entities: { representations: number; calls: number; concurrency: number };
  subscriptions: { subscribers: number; messages: number; sendConcurrency: number; timeoutMs: number };
  seed: { titles: number[] };
  memory: { warmup: number; rounds: number; requestsPerRound: number };
  /** Each screen, each target of the deployment benchmark. */
  deployment: { warmup: number; requests: number; maxDurationMs: number };
  /** Deployment targets to measure (names' first words: ours, stock, hive, floor); undefined = all. */
  targets: Set<string> | undefined;
  /** Deployment screens to measure; undefined = all. */
  screens: Set<string> | undefined;
}

export class UsageError extends Error {}

/** The short names --targets accepts, in the order of the deployment benchmark's targets. */
export const DEPLOYMENT_TARGETS = ["ours", "stock", "hive", "hive-no-dedup", "floor"];

export const USAGE = `usage: pnpm bench [--quick] [--big] [--only=${SCENARIOS.join(",")}] [--concurrency=N]
  --quick          small counts: a smoke run of every in-process scenario in under a minute (the deployment only
                   when named: --deployment --quick, about 3 minutes)
  --big            also seed 50,000 titles, and run the gateway on a 20,000-title catalog seeded for the run
  --deployment     only the deployment benchmark (same as --only=deployment)
  --only=a,b       run only these scenarios
  --concurrency=N  concurrent clients for the gateway runs (default 16)
  --targets=a,b    deployment targets to measure: ours, stock, hive, hive-no-dedup, floor (default all)
  --screens=a,b    deployment screens to measure, e.g. TvHome,ContentDetails (default all; FixedCost: one empty
                   request straight to one subgraph)
  --entity-cache=off  the deployment gateway without its entity cache (default on)`;

export function parseSettings(argv: readonly string[]): BenchSettings | null {
  let quick = false;
  let big = false;
  let only: Set<Scenario> | undefined;
  let concurrency = 16;
  let entityCache: "on" | "off" = "on";
  let targets: Set<string> | undefined;
  let screens: Set<string> | undefined;
  for (const argument of argv) {
    if (argument === "--") continue;
    else if (argument === "--quick") quick = true;
    else if (argument === "--big") big = true;
    else if (argument === "--deployment") only = new Set(["deployment"]);
    else if (argument === "--entity-cache=on" || argument === "--entity-cache=off") entityCache = argument === "--entity-cache=on" ? "on" : "off";
    else if (argument === "--help" || argument === "-h") return null;
    else if (argument.startsWith("--only=")) {
      const names = argument.slice("--only=".length).split(",").filter(Boolean);
      const unknown = names.filter((name) => !(SCENARIOS as readonly string[]).includes(name));
      if (unknown.length > 0 || names.length === 0) throw new UsageError(`--only: unknown scenario ${unknown.join(", ") || "(none given)"}`);
      only = new Set(names as Scenario[]);
    } else if (argument.startsWith("--concurrency=")) {
      const value = Number(argument.slice("--concurrency=".length));
      if (!Number.isInteger(value) || value < 1 || value > 256) throw new UsageError("--concurrency needs an integer from 1 to 256");
      concurrency = value;
    } else if (argument.startsWith("--targets=")) {
      const names = argument.slice("--targets=".length).split(",").filter(Boolean);
      const unknown = names.filter((name) => !DEPLOYMENT_TARGETS.includes(name));
      if (unknown.length > 0 || names.length === 0) throw new UsageError(`--targets: unknown target ${unknown.join(", ") || "(none given)"}`);
      targets = new Set(names);
    } else if (argument.startsWith("--screens=")) {
      const names = argument.slice("--screens=".length).split(",").filter(Boolean);
      if (names.length === 0) throw new UsageError("--screens: none given");
      screens = new Set(names);
    } else throw new UsageError(`unknown argument: ${argument}`);
  }

  const pick = <T>(quickValue: T, fullValue: T): T => (quick ? quickValue : fullValue);
  // --quick stays a smoke run under a minute: the deployment (11 processes to start) only when named.
  only ??= new Set(quick ? SCENARIOS.filter((scenario) => scenario !== "deployment") : SCENARIOS);
  return {
    mode: quick ? "quick" : "full",
    big,
    only,
    concurrency,
    entityCache,
    catalogTitles: big ? 20_000 : undefined,
    gateway: { warmup: pick(30, 200), requests: pick(150, 2_000), maxDurationMs: pick(3_000, 15_000) },
    fetcher: { rounds: pick(2, 4), warmup: pick(20, 60), requests: pick(100, 600), maxDurationMs: pick(1_500, 3_000) },
    entities: { representations: 100, calls: pick(20, 200), concurrency: 4 },
    subscriptions: { subscribers: pick(20, 100), messages: pick(20, 200), sendConcurrency: 4, timeoutMs: pick(20_000, 60_000) },
    seed: { titles: big ? [500, 50_000] : [500] },
    memory: { warmup: pick(60, 500), rounds: 2, requestsPerRound: pick(300, 5_000) },
    deployment: { warmup: pick(30, 200), requests: pick(200, 2_000), maxDurationMs: pick(3_000, 12_000) },
    targets,
    screens,
  };
}
