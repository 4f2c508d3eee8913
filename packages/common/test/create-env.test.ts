// scripts/create-env.sh (what scripts/up.sh runs on a fresh machine): a new .env gets fresh random secrets instead
// of the development ones published in .env.example, everything else as the example has it; an existing .env is
// never touched. Run for real, in a scratch folder, on the repository's own .env.example.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseEnv } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { loadSubgraphConfig, repositoryRoot } from "../src/index.ts";

const EXAMPLE = path.join(repositoryRoot, ".env.example");
const folders: string[] = [];

function scratch(): string {
  const folder = mkdtempSync(path.join(tmpdir(), "wf-create-env-"));
  folders.push(folder);
  copyFileSync(EXAMPLE, path.join(folder, ".env.example"));
  return folder;
}

function createEnv(folder: string): { status: number | null; stdout: string } {
  const result = spawnSync("bash", [path.join(repositoryRoot, "scripts", "create-env.sh"), folder], { encoding: "utf8" });
  return { status: result.status, stdout: result.stdout + result.stderr };
}

afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describe("scripts/create-env.sh", () => {
  const example = parseEnv(readFileSync(EXAMPLE, "utf8"));
  const secrets = Object.keys(example).filter((name) => example[name]?.startsWith("dev-only-"));

  it("knows the published development secrets by their dev-only- values", () => {
    expect(secrets).toEqual(expect.arrayContaining(["JWT_ACCESS_SECRET", "GATEWAY_SHARED_SECRET"]));
  });

  it("writes a .env with a new random value for every development secret, the rest as the example has it", () => {
    const first = scratch();
    const second = scratch();
    const run = createEnv(first);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("JWT_ACCESS_SECRET");
    expect(createEnv(second).status).toBe(0);

    const env = parseEnv(readFileSync(path.join(first, ".env"), "utf8"));
    const other = parseEnv(readFileSync(path.join(second, ".env"), "utf8"));
    for (const name of secrets) {
      expect(env[name], name).toMatch(/^[0-9a-f]{64}$/);
      expect(env[name], `${name} differs between two machines`).not.toBe(other[name]);
    }
    for (const name of Object.keys(example).filter((key) => !secrets.includes(key))) expect(env[name], name).toBe(example[name]);
    expect(Object.keys(env).sort()).toEqual(Object.keys(example).sort());
    // Readable by its owner only, and good enough for production (which refuses the development secrets).
    expect(statSync(path.join(first, ".env")).mode & 0o077).toBe(0);
    expect(loadSubgraphConfig("auth", { ...env, NODE_ENV: "production" }).JWT_ACCESS_SECRET).toBe(env.JWT_ACCESS_SECRET);
  });

  it("never overwrites an existing .env", () => {
    const folder = scratch();
    const mine = "JWT_ACCESS_SECRET=my-own-secret-of-enough-length\n";
    writeFileSync(path.join(folder, ".env"), mine);
    const run = createEnv(folder);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("keeping the existing .env");
    expect(readFileSync(path.join(folder, ".env"), "utf8")).toBe(mine);
  });
});
