// The registry's files: what publish writes, the manifest, and the check's "out of date" and "edited by hand"
// failures; then the command line end to end (exit code and Rover-like output) on a scratch registry.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatIssue, publishRegistry, readRegistry, runCheck, sha256, SUPERGRAPH_FILE } from "../src/index.ts";
import { ACCOUNTS_SDL, CATALOG_SDL, fixtureSubgraphs, scratch, subgraph, type Scratch } from "./fixtures.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const repositoryRoot = path.resolve(here, "..", "..");
const cli = path.resolve(here, "..", "src", "cli.ts");

let work: Scratch;
beforeEach(() => {
  work = scratch();
});
afterEach(() => work.remove());

describe("publish", () => {
  it("writes each subgraph's SDL, the supergraph, the API schema and a manifest of hashes", async () => {
    const now = new Date("2025-11-01T10:00:00Z");
    const result = await publishRegistry({ subgraphs: fixtureSubgraphs(), registryDir: work.registryDir, now });
    expect(result.ok).toBe(true);
    expect(result.written.sort()).toEqual(["accounts.graphql", "api-schema.graphql", "catalog.graphql", "manifest.json", "supergraph.graphql"]);

    const registry = readRegistry(work.registryDir);
    expect(registry.subgraphSdls.get("catalog")).toBe(CATALOG_SDL);
    expect(registry.supergraphSdl).toContain('@join__graph(name: "catalog", url: "http://127.0.0.1:4000/catalog/graphql")');
    // The API schema has no federation machinery.
    expect(registry.apiSchemaSdl).toContain("type Content {");
    expect(registry.apiSchemaSdl).not.toContain("join__");
    expect(registry.manifest?.subgraphs.catalog).toEqual({
      file: "catalog.graphql",
      sha256: sha256(CATALOG_SDL),
      publishedAt: "2025-11-01T10:00:00.000Z",
      url: "http://127.0.0.1:4000/catalog/graphql",
    });
    expect(registry.manifest?.supergraph.sha256).toBe(sha256(registry.supergraphSdl ?? ""));
  });

  it("keeps each file's publish date while its content is unchanged, and rewrites nothing when nothing changed", async () => {
    await publishRegistry({ subgraphs: fixtureSubgraphs(), registryDir: work.registryDir, now: new Date("2025-11-01T10:00:00Z") });
    const again = await publishRegistry({ subgraphs: fixtureSubgraphs(), registryDir: work.registryDir, now: new Date("2025-11-02T10:00:00Z") });
    expect(again.written).toEqual([]);

    const changed = CATALOG_SDL.replace("  year: Int\n", "  year: Int\n  posterUrl: String\n");
    const third = await publishRegistry({ subgraphs: fixtureSubgraphs(changed), registryDir: work.registryDir, now: new Date("2025-11-03T10:00:00Z") });
    expect(third.written.sort()).toEqual(["api-schema.graphql", "catalog.graphql", "manifest.json", "supergraph.graphql"]);
    const manifest = readRegistry(work.registryDir).manifest;
    expect(manifest?.subgraphs.accounts?.publishedAt).toBe("2025-11-01T10:00:00.000Z");
    expect(manifest?.subgraphs.catalog?.publishedAt).toBe("2025-11-03T10:00:00.000Z");
  });

  it("removes the SDL of a subgraph that is no longer published (an announced removal)", async () => {
    await publishRegistry({ subgraphs: [...fixtureSubgraphs(), subgraph("extra", 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])\n\ntype Query {\n  ping: String\n}\n')], registryDir: work.registryDir });
    writeFileSync(path.join(work.registryDir, "announcements.json"), JSON.stringify({ announcements: [{ coordinate: "Query.ping", reason: "unused", announced: "2025-10-01" }] }));
    const result = await publishRegistry({ subgraphs: fixtureSubgraphs(), registryDir: work.registryDir });
    expect(result.ok).toBe(true);
    expect(existsSync(path.join(work.registryDir, "extra.graphql"))).toBe(false);
    expect(readRegistry(work.registryDir).manifest?.subgraphs).not.toHaveProperty("extra");
  });
});

describe("check: the registry itself", () => {
  beforeEach(async () => {
    expect((await publishRegistry({ subgraphs: fixtureSubgraphs(), registryDir: work.registryDir })).ok).toBe(true);
  });

  it("fails when a subgraph changed and the registry was not synced", async () => {
    const changed = CATALOG_SDL.replace("  year: Int\n", "  year: Int\n  posterUrl: String\n");
    const result = await runCheck({ subgraphs: fixtureSubgraphs(changed), registryDir: work.registryDir });
    const errors = result.issues.map(formatIssue);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^error\[E006\]: The schema registry is out of date with the code: run `pnpm microservices:sync`/);
    expect(errors[0]).toMatch(/catalog\.graphql differs from what the code produces/);
    expect(errors[0]).toMatch(/supergraph\.graphql differs from what the code produces/);
    expect(errors[0]).not.toMatch(/accounts\.graphql/);
  });

  it("fails when a published subgraph has no code any more", async () => {
    const result = await runCheck({ subgraphs: [subgraph("accounts", ACCOUNTS_SDL)], registryDir: work.registryDir, requireUpToDate: true });
    const errors = result.issues.map(formatIssue).join("\n");
    expect(errors).toContain('catalog.graphql is published, but the code has no subgraph "catalog"');
  });

  it("fails when a registry file was edited by hand (its hash no longer matches the manifest)", async () => {
    const file = path.join(work.registryDir, SUPERGRAPH_FILE);
    writeFileSync(file, `${readFileSync(file, "utf8")}\n# edited\n`);
    const result = await runCheck({ subgraphs: fixtureSubgraphs(), registryDir: work.registryDir });
    const errors = result.issues.map(formatIssue);
    expect(errors.some((error) => /^error\[E007\]: The registry's manifest does not match its files\.\nsupergraph\.graphql does not match its sha256/.test(error))).toBe(true);
  });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", cli, ...args], { cwd: repositoryRoot, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("the command line on a scratch registry", () => {
  it("publishes, passes the check, then fails it with exit code 1 and Rover-like errors for a breaking change", async () => {
    const accounts = work.write("sdl/accounts.graphql", ACCOUNTS_SDL);
    const catalog = work.write("sdl/catalog.graphql", CATALOG_SDL);
    const common = ["--registry", work.registryDir, "--operations", work.operationsDir];

    const published = await run(["publish", ...common, "--sdl", `accounts=${accounts}`, "--sdl", `catalog=${catalog}`]);
    expect(published.stderr).toBe("");
    expect(published.stdout).toContain("schema publish passed");
    expect(published.code).toBe(0);

    const passing = await run(["check", ...common, "--sdl", `accounts=${accounts}`, "--sdl", `catalog=${catalog}`]);
    expect(passing.stdout).toMatch(/schema check passed\n$/);
    expect(passing.code).toBe(0);

    const broken = work.write("sdl/catalog-broken.graphql", CATALOG_SDL.replace("  title: String!\n", ""));
    const failing = await run(["check", ...common, "--sdl", `accounts=${accounts}`, "--sdl", `catalog=${broken}`]);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain('error[E003]: Breaking change: Field "Content.title" was removed');
    expect(failing.stdout).toContain('OPERATION_INVALID: web/catalog.graphql Browse: Cannot query field "title" on type "Content".');
    expect(failing.stdout).toContain("error[E006]: The schema registry is out of date");
    expect(failing.stdout).toMatch(/error: schema check failed with 3 errors\n$/);
  });

  it("fails with COMPOSITION_ERROR lines when the subgraphs do not compose", async () => {
    const accounts = work.write("sdl/accounts.graphql", ACCOUNTS_SDL);
    const twin = work.write("sdl/twin.graphql", ACCOUNTS_SDL);
    const result = await run(["check", "--registry", work.registryDir, "--operations", work.operationsDir, "--sdl", `accounts=${accounts}`, "--sdl", `twin=${twin}`]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/error\[E001\]: Encountered \d+ build errors? while trying to build a supergraph\.\nCOMPOSITION_ERROR: INVALID_FIELD_SHARING: /);
    expect(result.stdout).toContain('COMPOSITION_ERROR: INVALID_FIELD_SHARING: Non-shareable field "User.email" is resolved from multiple subgraphs');
  });
});
