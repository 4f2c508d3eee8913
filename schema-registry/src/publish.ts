// `pnpm schema:publish`: compose the subgraphs and write the registry, unless that would break clients
// without an announcement (or the subgraphs do not compose). The one writer of schema-registry/.
import { formatIssue } from "./issues.ts";
import { checkOperationSources, runCheck, type CheckOptions } from "./check.ts";
import type { Issue, Note } from "./issues.ts";
import { writeRegistry } from "./registry.ts";

export interface PublishResult {
  ok: boolean;
  issues: Issue[];
  notes: Note[];
  /** Registry files written (unchanged files are not rewritten). */
  written: string[];
}

export type PublishOptions = Omit<CheckOptions, "requireUpToDate" | "verifyManifest" | "baselineSupergraphSdl" | "baselineLabel">;

export async function publishRegistry(options: PublishOptions): Promise<PublishResult> {
  const { operations, ...rest } = options;
  const check = await runCheck({ ...rest, requireUpToDate: false, verifyManifest: false });
  const notes = [...check.notes];
  if (!check.ok || !check.content || !check.composed) return { ok: false, issues: check.issues, notes, written: [] };

  // Operations that do not validate are shown, not fatal here (subgraphs land one by one); schema:check fails on them.
  if (operations && operations.length > 0) {
    const result = checkOperationSources(check.composed.apiSchemaSdl, operations, options.onlyExistingRootFields ?? false);
    for (const problem of result.issues) notes.push({ level: "warning", message: formatIssue(problem).replace(/^error\[E\d+\]: /, "") });
    notes.push(...result.notes);
  }
  const written = writeRegistry(options.registryDir, check.content, check.registry.manifest);
  return { ok: true, issues: [], notes, written };
}
