// The registry's commands (run by cli.ts; root package.json scripts):
//   pnpm schema:publish [--service <name>]...      compose the code's subgraphs and write schema-registry/
//   pnpm schema:check [--against <git-ref>]         fail (exit 1) on composition errors, unannounced breaking
//                                                   changes, invalid client operations, or a stale registry
//   pnpm microservices:sync [--service <name>]...   publish, then regenerate the typed client documents
//                                                   (with --only-existing-root-fields, codegen skips invalid ones)
//   pnpm microservices:validate                     microservices.config.json against the code and schema.prisma
// Common options:
//   --registry <dir>              the registry folder (default schema-registry/)
//   --operations <dir>            operations to validate, instead of ../shared/operations + clients/operations
//   --sdl <name>=<file>           use these subgraph SDL files instead of the code (repeatable; a scratch check)
//   --only-existing-root-fields   interim aid: validate only operations whose root fields exist (off by default)
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { EVENT_TYPES, isServiceName, microservicesConfig, repositoryRoot, SERVICE_NAMES, type ServiceName } from "@watchflixx/common";
import { runCheck } from "./check.ts";
import { composeSubgraphs, compositionIssue, type SubgraphSource } from "./compose.ts";
import { formatReport, issue, type Issue, type Note } from "./issues.ts";
import type { OperationsSource } from "./operations.ts";
import { publishRegistry } from "./publish.ts";
import { syncPrisma } from "./prisma-sync.ts";
import { readDatabaseUrl } from "@watchflixx/db/config";
import { readRegistry } from "./registry.ts";
import { defaultSubgraphUrl, loadSubgraphsFromCode, sortByConfig, type LoadedSubgraphs } from "./subgraphs.ts";
import { validateSubgraphLayout } from "./layout.ts";
import { validateServices } from "./validate.ts";

export const DEFAULT_REGISTRY_DIR = path.join(repositoryRoot, "schema-registry");
/** The client contract, beside the repository (in CI too: a copy of shared/ sits next to the clone). */
export const SHARED_OPERATIONS_DIR = path.resolve(repositoryRoot, "..", "shared", "operations");
/** The project's own operations (tests), typed by codegen like the contract's. */
export const PROJECT_OPERATIONS_DIR = path.join(repositoryRoot, "clients", "operations");

export function defaultOperationSources(): OperationsSource[] {
  return [
    { dir: SHARED_OPERATIONS_DIR, label: (file) => file },
    { dir: PROJECT_OPERATIONS_DIR, label: (file) => `clients/operations/${file}`, optional: true },
  ];
}

function relative(file: string): string {
  return path.relative(process.cwd(), file) || ".";
}

function loadIssues(loaded: LoadedSubgraphs): Issue[] {
  return loaded.failures.map((failure) =>
    issue("SUBGRAPH_LOAD_FAILED", `Could not build the "${failure.name}" subgraph from subgraphs/${failure.name}/src/index.ts.`, briefStack(failure.reason)),
  );
}

/** An error's message lines and its first frames in the project's own code (not node_modules). */
function briefStack(reason: string): string[] {
  const lines = reason.split("\n");
  const message = lines.filter((line) => !/^\s+at /.test(line));
  const frames = lines.filter((line) => /^\s+at /.test(line) && !line.includes("node_modules") && !line.includes("node:internal"));
  return [...message, ...frames.slice(0, 3)];
}

/**
 * The subgraphs to publish: the named services from their code, the others as published (so that
 * `--service auth` rebuilds one SDL and recomposes); all services from code when none is named.
 */
async function subgraphsFor(
  services: ServiceName[],
  registryDir: string,
  sdlFiles?: SubgraphSource[],
): Promise<{ loaded: LoadedSubgraphs; subgraphs: SubgraphSource[]; notBuilt: string[] }> {
  if (sdlFiles) return { loaded: { subgraphs: sdlFiles, notBuilt: [], failures: [] }, subgraphs: sdlFiles, notBuilt: [] };
  if (services.length === 0) {
    const loaded = await loadSubgraphsFromCode();
    return { loaded, subgraphs: loaded.subgraphs, notBuilt: loaded.notBuilt };
  }
  const loaded = await loadSubgraphsFromCode(services);
  const registry = readRegistry(registryDir);
  const published = Object.entries(registry.manifest?.subgraphs ?? {})
    .filter(([name]) => !services.includes(name as ServiceName))
    .flatMap(([name, entry]) => {
      const sdl = registry.subgraphSdls.get(name);
      return sdl === undefined ? [] : [{ name, url: entry.url, sdl }];
    });
  const notBuilt = [...new Set([...(registry.manifest?.notBuilt ?? []).filter((name) => !services.includes(name as ServiceName)), ...loaded.notBuilt])];
  return { loaded, subgraphs: sortByConfig([...published, ...loaded.subgraphs]), notBuilt: SERVICE_NAMES.filter((name) => notBuilt.includes(name)) };
}

function print(text: string) {
  process.stdout.write(text);
}

interface Options {
  services: ServiceName[];
  /** Subgraph SDLs given on the command line (`--sdl name=file`); when set, no code is loaded. */
  sdlFiles?: SubgraphSource[];
  registryDir: string;
  operations: OperationsSource[];
  onlyExistingRootFields: boolean;
  against?: string;
}

async function publishCommand(options: Options, subject: string): Promise<boolean> {
  const { loaded, subgraphs, notBuilt } = await subgraphsFor(options.services, options.registryDir, options.sdlFiles);
  const heading =
    options.services.length > 0 && !options.sdlFiles
      ? `Publishing ${options.services.join(", ")} (rebuilt from code; the other subgraphs as published) to ${relative(options.registryDir)}/`
      : `Publishing ${subgraphs.map((s) => s.name).join(", ") || "no subgraphs"} to ${relative(options.registryDir)}/`;
  const failures = loadIssues(loaded);
  if (failures.length > 0) {
    print(formatReport({ heading, subject, issues: failures, notes: [] }));
    return false;
  }
  const result = await publishRegistry({
    subgraphs,
    notBuilt,
    registryDir: options.registryDir,
    operations: options.operations,
    onlyExistingRootFields: options.onlyExistingRootFields,
  });
  const notes: Note[] = [...result.notes];
  if (result.ok) {
    notes.push({
      level: "note",
      message: result.written.length > 0 ? `wrote ${result.written.map((file) => `${relative(options.registryDir)}/${file}`).join(", ")}` : "the registry was already up to date",
    });
  }
  print(formatReport({ heading, subject, issues: result.issues, notes }));
  return result.ok;
}

function gitShow(ref: string, file: string): { sdl?: string; problem?: string } {
  const result = spawnSync("git", ["show", `${ref}:${file}`], { cwd: repositoryRoot, encoding: "utf8" });
  if (result.status === 0) return { sdl: result.stdout };
  return { problem: (result.stderr || result.error?.message || "git failed").trim().split("\n")[0] };
}

async function checkCommand(options: Options): Promise<boolean> {
  const loaded: LoadedSubgraphs = options.sdlFiles ? { subgraphs: options.sdlFiles, notBuilt: [], failures: [] } : await loadSubgraphsFromCode();
  const against = options.against;
  const registryRelative = path.relative(repositoryRoot, path.join(options.registryDir, "supergraph.graphql")).split(path.sep).join("/");
  const baselineLabel = against ? `${registryRelative} at ${against}` : relative(path.join(options.registryDir, "supergraph.graphql"));
  const heading = `Checking the subgraphs in the working tree (${loaded.subgraphs.map((s) => s.name).join(", ") || "none"}) against ${baselineLabel}`;
  const failures = loadIssues(loaded);
  if (failures.length > 0) {
    print(formatReport({ heading, subject: "schema check", issues: failures, notes: [] }));
    return false;
  }
  const notes: Note[] = [];
  let baselineSupergraphSdl: string | undefined;
  if (against) {
    const shown = gitShow(against, registryRelative);
    if (shown.sdl !== undefined) baselineSupergraphSdl = shown.sdl;
    else notes.push({ level: "warning", message: `no supergraph at ${against} (${shown.problem}); comparing with the working tree's registry` });
  }
  const result = await runCheck({
    subgraphs: loaded.subgraphs,
    notBuilt: loaded.notBuilt,
    registryDir: options.registryDir,
    operations: options.operations,
    onlyExistingRootFields: options.onlyExistingRootFields,
    ...(baselineSupergraphSdl === undefined ? {} : { baselineSupergraphSdl, baselineLabel }),
  });
  print(formatReport({ heading, subject: "schema check", issues: result.issues, notes: [...notes, ...result.notes] }));
  return result.ok;
}

/** `pnpm codegen`; with the interim option, operations that do not validate yet are left out (and listed). */
function runCodegen(skipInvalidOperations: boolean): boolean {
  const script = path.join(repositoryRoot, "clients", "scripts", "codegen.ts");
  const result = spawnSync(process.execPath, ["--import", "tsx", script, ...(skipInvalidOperations ? ["--skip-invalid-operations"] : [])], {
    cwd: repositoryRoot,
    stdio: "inherit",
  });
  return result.status === 0;
}

async function validateCommand(): Promise<boolean> {
  const config = microservicesConfig();
  const heading = "Validating microservices.config.json against the code and prisma/schema.prisma";
  const { issues, notes } = validateServices({ root: repositoryRoot, services: config.services, sharedModels: config.sharedModels, packages: config.packages, eventTypes: EVENT_TYPES });
  issues.push(...validateSubgraphLayout({ root: repositoryRoot, services: config.services }));
  const loaded = await loadSubgraphsFromCode();
  issues.push(...loadIssues(loaded));
  if (loaded.failures.length === 0) {
    const composition = composeSubgraphs(loaded.subgraphs);
    if (!composition.ok) issues.push(compositionIssue(composition.errors));
    else notes.push({ level: "note", message: `${loaded.subgraphs.map((s) => s.name).join(", ")} compose` });
  }
  print(formatReport({ heading, subject: "microservices validation", issues, notes }));
  return issues.length === 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      service: { type: "string", multiple: true, short: "s" },
      registry: { type: "string" },
      operations: { type: "string" },
      against: { type: "string" },
      sdl: { type: "string", multiple: true },
      "only-existing-root-fields": { type: "boolean", default: false },
    },
    strict: true,
  });
  const services: ServiceName[] = [];
  for (const name of values.service ?? []) {
    if (!isServiceName(name)) {
      process.stderr.write(`error: unknown service "${name}" (one of ${SERVICE_NAMES.join(", ")})\n`);
      return 2;
    }
    services.push(name);
  }
  let sdlFiles: SubgraphSource[] | undefined;
  if (values.sdl) {
    sdlFiles = [];
    for (const spec of values.sdl) {
      const match = /^([a-z][a-z0-9-]*)=(.+)$/.exec(spec);
      if (!match?.[1] || !match[2]) {
        process.stderr.write(`error: --sdl takes <name>=<file>, got "${spec}"\n`);
        return 2;
      }
      const name = match[1];
      const url = isServiceName(name) ? defaultSubgraphUrl(name) : `http://127.0.0.1/${name}/graphql`;
      sdlFiles.push({ name, url, sdl: readFileSync(path.resolve(match[2]), "utf8") });
    }
    sdlFiles = sortByConfig(sdlFiles);
  }
  const options: Options = {
    services,
    ...(sdlFiles ? { sdlFiles } : {}),
    registryDir: path.resolve(values.registry ?? DEFAULT_REGISTRY_DIR),
    operations: values.operations
      ? [{ dir: path.resolve(values.operations), label: (file: string) => file }]
      : defaultOperationSources(),
    onlyExistingRootFields: values["only-existing-root-fields"] ?? false,
    ...(values.against ? { against: values.against } : {}),
  };
  switch (command) {
    case "publish":
      return (await publishCommand(options, "schema publish")) ? 0 : 1;
    case "sync": {
      // The design's feature workflow: schema.prisma and the subgraphs change together, so sync also
      // regenerates the Prisma client and says when a migration is missing.
      if (!(await syncPrisma({ databaseUrl: readDatabaseUrl(), print }))) return 1;
      if (!(await publishCommand(options, "schema publish"))) return 1;
      return runCodegen(options.onlyExistingRootFields) ? 0 : 1;
    }
    case "check":
      return (await checkCommand(options)) ? 0 : 1;
    case "validate":
      return (await validateCommand()) ? 0 : 1;
    default:
      process.stderr.write("usage: cli.ts publish|check|sync|validate [--service <name>]... [--against <git-ref>] [--only-existing-root-fields]\n");
      return 2;
  }
}
