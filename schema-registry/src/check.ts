// `pnpm schema:check` and the checks `publish` runs before it writes: composition, root type names, changes
// against the published supergraph, the client operations, and whether the registry is up to date.
import path from "node:path";
import { AnnouncementsError, readAnnouncements, type Announcement } from "./announcements.ts";
import { changeIssues, changeNotes, compareApiSchemas, type SchemaChanges } from "./changes.ts";
import { apiSchemaSdl, buildApiSchema, composeSubgraphs, compositionIssue, type SubgraphSource } from "./compose.ts";
import { issue, type Issue, type Note } from "./issues.ts";
import { rootTypeNameIssues } from "./naming.ts";
import { checkOperations, operationIssues, operationNotes, readOperationFiles, type OperationsSource } from "./operations.ts";
import {
  ANNOUNCEMENTS_FILE,
  ManifestError,
  manifestProblems,
  readRegistry,
  registryContent,
  registryDifferences,
  type RegistryContent,
  type RegistrySnapshot,
} from "./registry.ts";

export interface CheckOptions {
  /** The subgraphs as the working tree defines them, in composition order. */
  subgraphs: SubgraphSource[];
  /** Services listed in the config with no code yet (recorded in the manifest; reported as a warning). */
  notBuilt?: string[];
  /** The registry folder (schema-registry/). */
  registryDir: string;
  /** The client operations to validate; none: check (c) is skipped. */
  operations?: OperationsSource[];
  /** Interim aid: skip operations that select root fields the supergraph does not have yet. Off by default. */
  onlyExistingRootFields?: boolean;
  /** Compare against this supergraph instead of the registry's (e.g. the one on the base branch). */
  baselineSupergraphSdl?: string;
  baselineLabel?: string;
  /** Fail when the registry's files are not what the code produces (default true). */
  requireUpToDate?: boolean;
  /** Fail when a registry file does not match its hash in the manifest (default true; publish rewrites them). */
  verifyManifest?: boolean;
  now?: Date;
}

export interface CheckResult {
  ok: boolean;
  issues: Issue[];
  notes: Note[];
  changes?: SchemaChanges;
  /** Set when the subgraphs compose. */
  composed?: { supergraphSdl: string; apiSchemaSdl: string };
  /** What the registry would contain (set when the subgraphs compose). */
  content?: RegistryContent;
  registry: RegistrySnapshot;
}

function safeReadRegistry(dir: string, names: string[], issues: Issue[]): RegistrySnapshot {
  try {
    return readRegistry(dir, names);
  } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    issues.push(issue("REGISTRY_INVALID", error.message));
    return { manifest: null, supergraphSdl: null, apiSchemaSdl: null, subgraphSdls: new Map() };
  }
}

export function loadAnnouncements(registryDir: string, issues: Issue[]): Announcement[] {
  try {
    return readAnnouncements(path.join(registryDir, ANNOUNCEMENTS_FILE));
  } catch (error) {
    if (!(error instanceof AnnouncementsError)) throw error;
    issues.push(issue("REGISTRY_INVALID", error.message));
    return [];
  }
}

export async function runCheck(options: CheckOptions): Promise<CheckResult> {
  const issues: Issue[] = [];
  const notes: Note[] = [];
  const registry = safeReadRegistry(
    options.registryDir,
    options.subgraphs.map((subgraph) => subgraph.name),
    issues,
  );
  const announcements = loadAnnouncements(options.registryDir, issues);
  if (options.notBuilt && options.notBuilt.length > 0) {
    notes.push({ level: "warning", message: `not built yet (no src/index.ts), left out of composition: ${options.notBuilt.join(", ")}` });
  }

  // (a) composition, and the contract's naming rule for root types.
  issues.push(...rootTypeNameIssues(options.subgraphs));
  const composition = composeSubgraphs(options.subgraphs);
  if (!composition.ok) {
    issues.push(compositionIssue(composition.errors));
    return { ok: false, issues, notes, registry };
  }
  const result: CheckResult = {
    ok: false,
    issues,
    notes,
    registry,
    composed: { supergraphSdl: composition.supergraphSdl, apiSchemaSdl: composition.apiSchemaSdl },
  };

  // (b) what changes for clients against the published supergraph (or the given baseline).
  const baseline = options.baselineSupergraphSdl ?? registry.supergraphSdl;
  const baselineLabel = options.baselineLabel ?? "the published supergraph";
  if (baseline === null) {
    notes.push({ level: "note", message: "nothing published yet: no breaking-change comparison" });
  } else {
    let baselineApi: string | null = null;
    try {
      baselineApi = apiSchemaSdl(baseline);
    } catch (error) {
      issues.push(issue("REGISTRY_INVALID", `${baselineLabel} is not a valid supergraph: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`));
    }
    if (baselineApi !== null) {
      const changes = await compareApiSchemas(baselineApi, composition.apiSchemaSdl, announcements);
      result.changes = changes;
      issues.push(...changeIssues(changes));
      notes.push(...changeNotes(changes));
    }
  }

  // (c) the client operations.
  if (options.operations && options.operations.length > 0) {
    const operations = checkOperationSources(composition.apiSchemaSdl, options.operations, options.onlyExistingRootFields ?? false);
    issues.push(...operations.issues);
    notes.push(...operations.notes);
  }

  // The registry: its files are what the code produces, and the manifest matches them.
  const content = registryContent({
    subgraphs: options.subgraphs,
    supergraphSdl: composition.supergraphSdl,
    apiSchemaSdl: composition.apiSchemaSdl,
    previous: registry.manifest,
    notBuilt: options.notBuilt ?? [],
    now: options.now ?? new Date(),
  });
  result.content = content;
  if (registry.manifest && (options.verifyManifest ?? true)) {
    const problems = manifestProblems(options.registryDir, registry.manifest);
    if (problems.length > 0) issues.push(issue("REGISTRY_INVALID", "The registry's manifest does not match its files.", problems));
  }
  if (options.requireUpToDate ?? true) {
    const differences = registryDifferences(options.registryDir, content, registry);
    if (differences.length > 0) {
      issues.push(
        issue("REGISTRY_OUT_OF_DATE", "The schema registry is out of date with the code: run `pnpm microservices:sync` and commit schema-registry/.", differences),
      );
    }
  }
  result.ok = issues.length === 0;
  return result;
}

/** Check (c) on its own: every operation in `sources` against an API schema. */
export function checkOperationSources(apiSdl: string, sources: OperationsSource[], onlyExistingRootFields = false): { issues: Issue[]; notes: Note[]; checked: number } {
  const { files, missing } = readOperationFiles(sources);
  const operationsCheck = checkOperations(buildApiSchema(apiSdl), files, { onlyExistingRootFields });
  return { issues: operationIssues(operationsCheck, missing), notes: operationNotes(operationsCheck), checked: operationsCheck.checked };
}
