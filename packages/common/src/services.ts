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
