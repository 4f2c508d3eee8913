// The service map, read from microservices.config.json at the repository root: the one place that says
// which services exist, where they listen, what they own and which events they produce and consume.
import { readFileSync } from "node:fs";
import path from "node:path";
import { findRepositoryRoot } from "@watchflixx/db/paths";

export const SERVICE_NAMES = ["auth", "content", "streaming", "payment", "social", "analytics", "notification"] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface ServiceDefinition {
  port: number;
  /** Models the service owns: the only ones its code writes. */
  models: string[];
  /** Other services' models its code reads (checked by `microservices:validate`). */
  reads: string[];
  produces: string[];
  consumes: string[];
}

/** Shared workspace packages that touch models: what they read and write, declared like a service's. */
export interface PackageModelAccess {
  reads: string[];
  writes: string[];
}

export interface MicroservicesConfig {
  gateway: { port: number; path: string };
  /** Infrastructure models every service and package may read and write (the event log, service status). */
  sharedModels: string[];
  services: Record<ServiceName, ServiceDefinition>;
  /** packages/<name>/src code that touches models. */
  packages: Record<string, PackageModelAccess>;
}

/** The repository root, found from this file in the sources and from the bundle under dist/ alike. */
export const repositoryRoot = findRepositoryRoot(import.meta.url);

let cached: MicroservicesConfig | undefined;

export function microservicesConfig(): MicroservicesConfig {
  if (cached) return cached;
  const config = JSON.parse(readFileSync(path.join(repositoryRoot, "microservices.config.json"), "utf8")) as MicroservicesConfig;
  // SERVICE_NAMES is the same list as a type: the file decides, and a difference stops everything at once.
  const listed = Object.keys(config.services);
  if (listed.join(",") !== SERVICE_NAMES.join(",")) {
    throw new Error(`microservices.config.json lists the services ${listed.join(", ")}, but SERVICE_NAMES in packages/common/src/services.ts says ${SERVICE_NAMES.join(", ")}: make them agree`);
  }
  cached = config;
  return cached;
}

export function isServiceName(name: string): name is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(name);
}

/**
 * The process settings every production service runs with (the Dockerfile's ENV, the Kubernetes ConfigMap,
 * `pnpm up`/`pnpm start` on the bundles, the deployment benchmark), measured in bench/README.md "Against the
 * targets" (RSS). A young generation of 2 × 8 MB semi-spaces instead of V8's 2 × 16 MB: the default's 32 MB
 * stay resident once touched, and these services keep little short-lived data per request (2 × 4 MB saved only
 * a few MB more; 2 × 1 MB cost about 40 % more CPU). An old generation capped at 320 MB: V8 derives its heap
 * growing factor from the cap (up to 4 × the live old generation before the next full GC with Node's default
 * cap of several GB, about 1.3 × under 256-320 MB), so the garbage of a burst of requests is collected instead
 * of staying resident: measured 1.3-1.6 × instead of 2-3.7 ×. Nothing is retained: the live heap after load is
 * the idle one (a subgraph's about 41 MB, the gateway's 64 MB), so the cap leaves over 3 × the peak in use;
 * 320 MB also keeps the heap under the 512 MiB container limit.
 * Two glibc malloc arenas instead of up to eight per core: V8's background compiler and GC threads otherwise
 * each keep an arena of freed memory. `deploy/test` checks that the Dockerfile and the Kubernetes ConfigMap say
 * the same.
 */
export const SERVICE_RUNTIME_ENV = {
  NODE_OPTIONS: "--max-semi-space-size=8 --max-old-space-size=320",
  MALLOC_ARENA_MAX: "2",
} as const;

/**
 * The environment of a production service process: SERVICE_RUNTIME_ENV under `env`, with NODE_OPTIONS from
 * `env` appended to ours (a later V8 flag wins, so an operator's own flags still apply).
 */
export function serviceRuntimeEnv(env: Record<string, string | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) result[name] = value;
  result.MALLOC_ARENA_MAX = env.MALLOC_ARENA_MAX ?? SERVICE_RUNTIME_ENV.MALLOC_ARENA_MAX;
  result.NODE_OPTIONS = [SERVICE_RUNTIME_ENV.NODE_OPTIONS, env.NODE_OPTIONS].filter(Boolean).join(" ");
  return result;
}
