// The production build (`pnpm build`, scripts/dist.ts): a subgraph bundled the same way starts under plain
// node (no tsx), from a folder other than the repository, in production mode, and serves its API; the migrate
// CLI's bundle finds prisma/migrations from its own location. Built into a scratch folder inside the
// checkout, so a developer's dist/ is left alone.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFile, rm, rmdir, stat, writeFile } from "node:fs/promises";
import { createServer, type AddressInfo } from "node:net";
import { SourceMap } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { repositoryRoot } from "../src/index.ts";
import { buildBundles, bundlePath, staleReason, type BuildManifest } from "../../../scripts/dist.ts";

const productionSecrets = {
  NODE_ENV: "production",
  JWT_ACCESS_SECRET: "build-test-jwt-secret-0123456789abcdef",
  GATEWAY_SHARED_SECRET: "build-test-gateway-secret-0123456789abcdef",
};

/** A port nobody listens on right now (a subgraph's port variable does not take 0). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Runs a bundle with plain node from the temp folder; resolves with its exit code and output. */
function runBundle(file: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file, ...args], { cwd: tmpdir(), env: { PATH: process.env.PATH ?? "", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("the production bundles", () => {
  const outDir = path.join(repositoryRoot, "node_modules", ".cache", "watchflixx", `build-test-${randomUUID()}`);
  let manifest: BuildManifest;
  let database: TestDatabase;
  let service: ChildProcess | undefined;
  let url = "";

  beforeAll(async () => {
    [manifest, database] = await Promise.all([buildBundles({ outDir, names: ["auth", "migrate"] }), createTestDatabase()]);
    const port = await freePort();
    const child = spawn(process.execPath, ["--enable-source-maps", bundlePath("auth", outDir)], {
      cwd: tmpdir(),
      env: { PATH: process.env.PATH ?? "", ...productionSecrets, DATABASE_URL: database.url, AUTH_PORT: String(port), LOG_LEVEL: "info" },
    });
    service = child;
    let output = "";
    // Up when it says so; an exit before that fails with what it printed.
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes(`listening on http://127.0.0.1:${port}/graphql`)) resolve();
      };
      child.stdout.on("data", onData);
      child.stderr.on("data", onData);
      child.once("exit", (code) => reject(new Error(`the auth bundle exited with code ${code}:\n${output}`)));
    });
    url = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    if (service && service.exitCode === null) {
      const exited = new Promise((resolve) => service?.once("exit", resolve));
      service.kill("SIGTERM");
      await exited;
    }
    await database?.drop();
    await rm(outDir, { recursive: true, force: true });
    // The shared parent goes too once empty (another run may still be using it).
    await rmdir(path.dirname(outDir)).catch(() => undefined);
  });

  it("bundles our packages in and leaves npm packages to node_modules", async () => {
    expect(Object.keys(manifest.bundles).sort()).toEqual(["auth", "migrate"]);
    expect(manifest.inputs).toContain("packages/common/src/server.ts");
    expect(Object.keys(manifest.packages)).toEqual(expect.arrayContaining(["graphql", "type-graphql", "@prisma/client"]));
    expect(Object.keys(manifest.packages).filter((name) => name.startsWith("@watchflixx/"))).toEqual([]);
    const source = await readFile(bundlePath("auth", outDir), "utf8");
    expect(source).not.toMatch(/from "@watchflixx\//);
  });

  it("starts a subgraph with plain node that answers its health check and its API", async () => {
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const response = await fetch(`${url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query: "mutation SignUp($input: SignUpInput!) { signUp(input: $input) { accessToken user { email name } } }",
        variables: { input: { email: "bundled@watchflixx.dev", password: "a-long-password", name: "Bundled" } },
      }),
    });
    const body = (await response.json()) as { data?: { signUp: { accessToken: string; user: { email: string; name: string } } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data?.signUp.user).toEqual({ email: "bundled@watchflixx.dev", name: "Bundled" });
    expect(body.data?.signUp.accessToken.split(".")).toHaveLength(3);
  });

  it("maps bundle positions back to the TypeScript sources without carrying their text", async () => {
    const payload = JSON.parse(await readFile(`${bundlePath("auth", outDir)}.map`, "utf8")) as { sourcesContent?: unknown };
    // --enable-source-maps keeps every loaded map in the heap: mappings only (scripts/dist.ts).
    expect(payload.sourcesContent).toBeUndefined();
    const lines = (await readFile(bundlePath("auth", outDir), "utf8")).split("\n");
    const line = lines.findIndex((text) => text.includes("listening on http://127.0.0.1:"));
    const entry = new SourceMap(payload as never).findEntry(line, lines[line]?.indexOf("listening on") ?? 0) as { originalSource?: string; originalLine?: number };
    expect(entry.originalSource).toMatch(/packages\/common\/src\/server\.ts$/);
    const source = (await readFile(path.join(repositoryRoot, "packages/common/src/server.ts"), "utf8")).split("\n");
    expect(source[entry.originalLine ?? -1]).toContain("listening on http://127.0.0.1:");
  });

  it("runs the migrate CLI, which finds the repository's migrations from the bundle", async () => {
    const { code, stdout, stderr } = await runBundle(bundlePath("migrate", outDir), ["status"], { DATABASE_URL: database.url });
    expect(code, stderr).toBe(0);
    const status = JSON.parse(stdout) as { hasMigrationsTable: boolean; pending: string[] };
    expect(status).toMatchObject({ hasMigrationsTable: true, pending: [] });
  });

  it("stays current when a source is rewritten with the same bytes (pnpm db:generate after pnpm build), not when its content changes", async () => {
    expect(staleReason(["auth", "migrate"], outDir)).toBeNull();
    const generated = manifest.inputs.find((file) => file.startsWith("packages/db/src/generated/prisma/"));
    expect(generated).toBeDefined();
    const file = path.join(repositoryRoot, generated!);
    const before = await stat(file);
    await writeFile(file, await readFile(file));
    expect((await stat(file)).mtimeMs).toBeGreaterThanOrEqual(before.mtimeMs);
    expect(staleReason(["auth", "migrate"], outDir)).toBeNull();

    // A build made from other bytes of that file is out of date.
    const recorded = JSON.parse(await readFile(path.join(outDir, "build.json"), "utf8")) as BuildManifest;
    recorded.hashes[generated!] = "0".repeat(64);
    await writeFile(path.join(outDir, "build.json"), JSON.stringify(recorded));
    expect(staleReason(["auth", "migrate"], outDir)).toBe(`${generated} changed after the build`);
  });
});
