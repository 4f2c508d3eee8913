// `--service <name>` publishes that one subgraph from its code and keeps the others as published; the
// design's `node scripts/sync-schema.js --service <name>` is the same command (`pnpm microservices:sync`).
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const repositoryRoot = path.resolve(import.meta.dirname, "..", "..");
const tsx = path.join(repositoryRoot, "node_modules", ".bin", "tsx");

let work: string;
beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), "wf-sync-service-"));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

describe("publishing one service", () => {
  it("rebuilds only the named subgraph's SDL and says so", () => {
    const registry = path.join(work, "registry");
    const operations = path.join(work, "operations");
    mkdirSync(operations);
    cpSync(path.join(repositoryRoot, "schema-registry"), registry, { recursive: true, filter: (source) => !/\/(src|test|node_modules)$/.test(source) });
    const published = readFileSync(path.join(registry, "content.graphql"), "utf8");
    unlinkSync(path.join(registry, "content.graphql"));
    // A mark only the published copy of auth has: rebuilding auth from code would drop it.
    const auth = path.join(registry, "auth.graphql");
    writeFileSync(auth, `${readFileSync(auth, "utf8")}\n# kept as published\n`);

    const result = spawnSync(tsx, ["schema-registry/src/cli.ts", "publish", "--service", "content", "--registry", registry, "--operations", operations], {
      cwd: repositoryRoot,
      encoding: "utf8",
    });
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain("Publishing content (rebuilt from code; the other subgraphs as published)");
    expect(result.stdout).not.toMatch(/Publishing auth, content/);
    expect(readFileSync(path.join(registry, "content.graphql"), "utf8")).toBe(published);
    expect(readFileSync(auth, "utf8")).toContain("# kept as published");
  });

  it("node scripts/sync-schema.js runs the same command (an unknown service is refused before anything is written)", () => {
    const result = spawnSync(process.execPath, ["scripts/sync-schema.js", "--service", "billing"], { cwd: repositoryRoot, encoding: "utf8" });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown service "billing" (one of auth, content, streaming, payment, social, analytics, notification)');
  });
});
