// The subgraphs as the code defines them: each `subgraphs/<name>/src/index.ts` with its module (or, not yet
// converted, its create function), run in
// a process of its own (print-subgraph.ts). Services listed in microservices.config.json without an index.ts
// yet are reported as not built.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { microservicesConfig, repositoryRoot, SERVICE_NAMES, type ServiceName } from "@watchflixx/common";
import type { SubgraphSource } from "./compose.ts";

/** Printed by print-subgraph.ts before the JSON, so that anything a subgraph logs to stdout is skipped. */
export const SDL_MARKER = "--- watchflixx subgraph sdl ---";

export function createFunctionName(name: string): string {
  return `create${name.charAt(0).toUpperCase()}${name.slice(1)}Subgraph`;
}

/** The subgraph module a converted subgraph's index.ts exports (`contentSubgraph`): built with schema-only deps. */
export function moduleExportName(name: string): string {
  return `${name}Subgraph`;
}

const PRINT_TIMEOUT_MS = 120_000;
const printer = path.join(path.dirname(fileURLToPath(import.meta.url)), "print-subgraph.ts");

/** `http://127.0.0.1:<port>/graphql` from microservices.config.json (the gateway's `<SERVICE>_URL` overrides it). */
export function defaultSubgraphUrl(name: ServiceName): string {
  return `http://127.0.0.1:${microservicesConfig().services[name].port}/graphql`;
}

export function hasCode(name: ServiceName): boolean {
  return existsSync(path.join(repositoryRoot, "subgraphs", name, "src", "index.ts"));
}

export interface LoadFailure {
  name: ServiceName;
  reason: string;
}

export interface LoadedSubgraphs {
  subgraphs: SubgraphSource[];
  /** Listed in the config, no `src/index.ts` yet. */
  notBuilt: ServiceName[];
  failures: LoadFailure[];
}

function printSubgraph(name: ServiceName): Promise<SubgraphSource> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", printer, name], {
      cwd: repositoryRoot,
      env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    // A create function that never returns (waiting on a connection, say) is a failure, not a hang.
    const timer = setTimeout(() => child.kill("SIGKILL"), PRINT_TIMEOUT_MS);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (signal === "SIGKILL") {
        reject(new Error(`${createFunctionName(name)}() did not return within ${PRINT_TIMEOUT_MS / 1000}s`));
        return;
      }
      if (code !== 0) {
        const lines = stderr.trim().split("\n").filter(Boolean);
        reject(new Error(lines.slice(0, 8).join("\n") || `exited with code ${code}`));
        return;
      }
      try {
        const marker = stdout.lastIndexOf(`${SDL_MARKER}\n`);
        if (marker === -1) throw new Error("no SDL marker");
        const parsed = JSON.parse(stdout.slice(marker + SDL_MARKER.length + 1)) as { sdl: string };
        resolve({ name, url: defaultSubgraphUrl(name), sdl: parsed.sdl });
      } catch {
        reject(new Error(`printed no SDL (stdout: ${stdout.slice(0, 200)})`));
      }
    });
  });
}

/**
 * Builds each service's SDL from its code, in config order. `only` limits which services are built (the
 * others are not loaded at all); two at a time (the machine has two cores).
 */
export async function loadSubgraphsFromCode(only: readonly ServiceName[] = SERVICE_NAMES): Promise<LoadedSubgraphs> {
  const wanted = SERVICE_NAMES.filter((name) => only.includes(name));
  const notBuilt = wanted.filter((name) => !hasCode(name));
  const buildable = wanted.filter((name) => hasCode(name));
  const results = new Map<ServiceName, SubgraphSource | LoadFailure>();
  let next = 0;
  const worker = async () => {
    while (next < buildable.length) {
      const name = buildable[next++];
      if (!name) break;
      try {
        results.set(name, await printSubgraph(name));
      } catch (error) {
        results.set(name, { name, reason: error instanceof Error ? error.message : String(error) });
      }
    }
  };
  await Promise.all([worker(), worker()]);
  const subgraphs: SubgraphSource[] = [];
  const failures: LoadFailure[] = [];
  for (const name of buildable) {
    const result = results.get(name);
    if (!result) continue;
    if ("sdl" in result) subgraphs.push(result);
    else failures.push(result);
  }
  return { subgraphs, notBuilt, failures };
}

/** Config order, so that composition (and the supergraph file) does not depend on load order. */
export function sortByConfig(subgraphs: SubgraphSource[]): SubgraphSource[] {
  const rank = (name: string) => {
    const index = (SERVICE_NAMES as readonly string[]).indexOf(name);
    return index === -1 ? SERVICE_NAMES.length : index;
  };
  return [...subgraphs].sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
}
