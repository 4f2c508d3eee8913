// When embedded mode runs, and when it never does: it stands in only for what is neither answering nor installed,
// everything when forced, and production refuses it (asked for, or as a fallback) with a configuration error.
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { baseConfigSchema, ConfigurationError, parseConfig, repositoryRoot } from "@watchflixx/common";
import { embeddedPlanFor, planMachine } from "../src/index.ts";

const SECRETS = { GATEWAY_SHARED_SECRET: "a-production-gateway-secret", JWT_ACCESS_SECRET: "a-production-jwt-secret-value" };
const scratch = mkdtempSync(path.join(os.tmpdir(), "watchflixx-choice-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function closedPort(): Promise<number> {
  const server = net.createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A PATH holding only an executable named `program`. */
function pathWith(program: string): string {
  const dir = mkdtempSync(path.join(scratch, "bin-"));
  writeFileSync(path.join(dir, program), "#!/bin/sh\nexit 0\n");
  chmodSync(path.join(dir, program), 0o755);
  return dir;
}

describe("what embedded mode stands in for", () => {
  it("everything, when nothing answers and nothing is installed", async () => {
    const urls = { databaseUrl: `postgresql://postgres@127.0.0.1:${await closedPort()}/watchflixx`, redisUrl: `redis://127.0.0.1:${await closedPort()}` };
    expect(await planMachine({ ...urls, forced: false, searchPath: pathWith("node") })).toEqual({ database: "embedded", bus: "in-process", databasePortTaken: false });
  });

  it("not a server that is installed but stopped (it should be started, not replaced)", async () => {
    const urls = { databaseUrl: `postgresql://postgres@127.0.0.1:${await closedPort()}/watchflixx`, redisUrl: `redis://127.0.0.1:${await closedPort()}` };
    expect(await planMachine({ ...urls, forced: false, searchPath: pathWith("redis-server") })).toMatchObject({ database: "embedded", bus: "redis" });
    expect(await planMachine({ ...urls, forced: false, searchPath: pathWith("pg_ctlcluster") })).toMatchObject({ database: "server", bus: "in-process" });
  });

  it("nothing while PostgreSQL and Redis answer (this machine's), unless forced", async () => {
    const env = { DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/watchflixx", REDIS_URL: "redis://127.0.0.1:6379", PATH: "" };
    expect((await embeddedPlanFor(env)).plan).toBeNull();
    // Forced: the embedded database takes another port, since PostgreSQL's is taken.
    expect((await embeddedPlanFor({ ...env, WATCHFLIXX_EMBEDDED: "1" })).plan).toEqual({ database: "embedded", bus: "in-process", databasePortTaken: true });
    expect((await embeddedPlanFor(env, true)).plan).toMatchObject({ database: "embedded", bus: "in-process" });
  });
});

describe("a previous run on the same data folder (its lock file)", () => {
  it("is waited for while it is stopping (it still holds the database's port), refused while it runs, ignored once dead", async () => {
    const dataDir = mkdtempSync(path.join(scratch, "data-"));
    const lock = path.join(dataDir, "embedded.pid");
    const env = { DATABASE_URL: `postgresql://postgres@127.0.0.1:${await closedPort()}/watchflixx`, REDIS_URL: `redis://127.0.0.1:${await closedPort()}`, PATH: "", WATCHFLIXX_DATA_DIR: dataDir };
    const owner = spawn(process.execPath, ["-e", "setTimeout(() => undefined, 120_000)"], { stdio: "ignore" });
    await once(owner, "spawn");
    const ownerAlive = () => owner.exitCode === null && owner.signalCode === null;

    writeFileSync(lock, String(owner.pid));
    await expect(embeddedPlanFor(env)).rejects.toThrow(`${dataDir} is in use by another embedded WatchFlixx (pid ${owner.pid}); stop it first`);

    writeFileSync(lock, `${owner.pid} stopping`);
    const said: string[] = [];
    const planned = embeddedPlanFor(env, false, "", (line) => said.push(line)).then((result) => ({ result, ownerAlive: ownerAlive() }));
    while (said.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(said).toEqual([`embedded: waiting for the previous run (pid ${owner.pid}) to finish stopping`]);
    owner.kill();
    const { result, ownerAlive: aliveWhenPlanned } = await planned;
    expect(aliveWhenPlanned).toBe(false);
    expect(result.plan).toEqual({ database: "embedded", bus: "in-process", databasePortTaken: false });

    // The dead owner's lock (a run that was killed) holds nothing.
    expect((await embeddedPlanFor(env, false, "", (line) => said.push(line))).plan).toMatchObject({ database: "embedded" });
    expect(said).toHaveLength(1);
  });
});

describe("production", () => {
  it("refuses WATCHFLIXX_EMBEDDED=1 in every service's configuration", () => {
    expect(() => parseConfig(baseConfigSchema, { NODE_ENV: "production", ...SECRETS, WATCHFLIXX_EMBEDDED: "1" })).toThrow(ConfigurationError);
    expect(() => parseConfig(baseConfigSchema, { NODE_ENV: "production", ...SECRETS, WATCHFLIXX_EMBEDDED: "1" })).toThrow(/^WATCHFLIXX_EMBEDDED: .*one machine only.*NODE_ENV=production/);
  });

  it("never falls back to it: with nothing answering, the services fail as usual rather than run embedded", async () => {
    const env = { NODE_ENV: "production", ...SECRETS, DATABASE_URL: `postgresql://postgres@127.0.0.1:${await closedPort()}/watchflixx`, REDIS_URL: `redis://127.0.0.1:${await closedPort()}`, PATH: "" };
    expect((await embeddedPlanFor(env)).plan).toBeNull();
    await expect(embeddedPlanFor(env, true)).rejects.toThrow(ConfigurationError);
  });

  it("`pnpm start --embedded` stops with one configuration error line", () => {
    const result = spawnSync("pnpm", ["start", "--embedded"], {
      cwd: repositoryRoot,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production", ...SECRETS },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Configuration error: WATCHFLIXX_EMBEDDED: embedded mode .* is for one machine only and is refused with NODE_ENV=production/);
    expect(result.stdout).not.toContain("embedded mode:");
  });
});
