// The deployment shape on this machine: its own seeded 500-title database, a private redis-server, the seven
// subgraphs and the gateway each in its own process from the production bundles (dist/*.mjs, NODE_ENV=production:
// trusted documents enforced, introspection off, production secrets required), on free ports.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { repositoryRoot, SERVICE_NAMES, serviceRuntimeEnv, type ServiceName } from "@watchflixx/common";
import { startTestRedis, type TestRedisServer } from "@watchflixx/common/testing/redis";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { freePort, startService, type ServiceProcess } from "./processes.ts";

/**
 * Limits raised past anything 16 clients can reach in a run (README "Rate limits"): the benchmark measures
 * serving, one account and one address sending thousands of requests a minute.
 */
export const BENCH_RATE_LIMITS = [
  "gateway-address=100000000/60",
  "gateway-account=100000000/60",
  "playback-progress-account=100000000/60",
  "playback-start-profile=100000/60",
].join(",");

export interface DeploymentStack {
  database: TestDatabase;
  databaseName: string;
  redis: TestRedisServer;
  /** The environment every service got (peer gateways get the same secrets and ports). */
  env: Record<string, string>;
  subgraphs: ServiceProcess[];
  gateway: ServiceProcess;
  gatewayUrl: string;
  /** Every subgraph's URL by name (what the supergraph's services are reached at). */
  subgraphUrls: Record<ServiceName, string>;
  stop(): Promise<void>;
}

/** `pnpm build:check`: the bundles must be those of the sources (otherwise the run measures old code). */
export function checkBundles(): string | null {
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join(repositoryRoot, "scripts/build.ts"), "--check"], {
    cwd: repositoryRoot,
    encoding: "utf8",
    env: tsxEnv(process.env),
  });
  return result.status === 0 ? null : (result.stderr || result.stdout).trim();
}

/** An environment for a tsx child: pnpm bench's relative --tsconfig (TSX_TSCONFIG_PATH) made absolute. */
export function tsxEnv(env: NodeJS.ProcessEnv | Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined && !name.startsWith("TSX_")) result[name] = value;
  result.TSX_TSCONFIG_PATH = path.join(repositoryRoot, "tsconfig.json");
  return result;
}

function secret(): string {
  return randomBytes(24).toString("base64url");
}

export async function startDeployment(log: (line: string) => void, entityCache: "on" | "off" = "on"): Promise<DeploymentStack> {
  const stale = checkBundles();
  if (stale) throw new Error(`${stale}\nThe deployment benchmark runs the production bundles: run pnpm build first.`);

  const started = performance.now();
  const database = await createTestDatabase({ seeded: true });
  await database.db.$executeRawUnsafe("ANALYZE");
  await database.db.$disconnect();
  const databaseName = new URL(database.url).pathname.slice(1);
  const stopped: (() => Promise<void>)[] = [() => database.drop()];
  const stopAll = async () => {
    for (const stop of stopped.reverse()) await stop().catch((error: unknown) => console.error(error));
    stopped.length = 0;
  };
  try {
    const redis = await startTestRedis();
    stopped.push(() => redis.stop());
    log(`database ${databaseName} (clone of the 500-title template, ANALYZE) and redis-server ${redis.url} in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const ports = Object.fromEntries(await Promise.all(SERVICE_NAMES.map(async (name) => [name, await freePort()] as const))) as Record<ServiceName, number>;
    const gatewayPort = await freePort();
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: process.env.HOME ?? "/tmp",
      NODE_ENV: "production",
      LOG_LEVEL: "warn",
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      JWT_ACCESS_SECRET: secret(),
      GATEWAY_SHARED_SECRET: secret(),
      RATE_LIMITS: BENCH_RATE_LIMITS,
      GATEWAY_PORT: String(gatewayPort),
      GATEWAY_HOST: "127.0.0.1",
      SUPERGRAPH_MODE: "static",
      PAYMENT_PROVIDER: "local",
      // The gateway's entity cache as the caller runs it (ENTITY_CACHE=off measures the uncached path).
      ...(process.env.ENTITY_CACHE ? { ENTITY_CACHE: process.env.ENTITY_CACHE } : {}),
      ...Object.fromEntries(SERVICE_NAMES.map((name) => [`${name.toUpperCase()}_PORT`, String(ports[name])])),
    };
    // The services' runtime settings as deployed (SERVICE_RUNTIME_ENV: young and old generation sizes, malloc arenas);
    // SERVICE_RUNTIME=stock measures Node's defaults instead. SERVICE_NODE_OPTIONS: Node/V8 flags to try on the
    // services only (not on this script or the load client), after ours (a later flag wins).
    const runtime = { NODE_OPTIONS: process.env.SERVICE_NODE_OPTIONS };
    Object.assign(env, process.env.SERVICE_RUNTIME === "stock" ? (runtime.NODE_OPTIONS ? runtime : {}) : serviceRuntimeEnv(runtime));
    // BENCH_CPU_PROF=<dir>: every service writes a V8 CPU profile there when it stops (Node refuses the flag in NODE_OPTIONS).
    const profiling = process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
    const bundle = (name: string) => [...profiling, "--enable-source-maps", path.join(repositoryRoot, "dist", `${name}.mjs`)];
    const subgraphStarted = performance.now();
    const subgraphs = await Promise.all(
      SERVICE_NAMES.map((name) => startService({ name, port: ports[name], args: bundle(name), env, cwd: repositoryRoot })),
    );
    stopped.push(...subgraphs.map((service) => () => service.stop()));
    // x-cache on every answer: the load client counts them, for each screen's hit ratio.
    const gatewayEnv = { ...env, ENTITY_CACHE: entityCache, ENTITY_CACHE_HEADER: "on" };
    const gateway = await startService({ name: "gateway", port: gatewayPort, args: bundle("gateway"), env: gatewayEnv, cwd: repositoryRoot, probePath: "/ready" });
    stopped.push(() => gateway.stop());
    log(`entity cache ${entityCache}; 7 subgraphs + gateway from dist/*.mjs (NODE_ENV=production) up in ${((performance.now() - subgraphStarted) / 1000).toFixed(1)} s`);
    return {
      database,
      databaseName,
      redis,
      env,
      subgraphs,
      gateway,
      gatewayUrl: `http://127.0.0.1:${gatewayPort}/graphql`,
      subgraphUrls: Object.fromEntries(SERVICE_NAMES.map((name) => [name, `http://127.0.0.1:${ports[name]}/graphql`])) as Record<ServiceName, string>,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
