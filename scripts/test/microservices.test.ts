// `pnpm microservices:start` for real, on free ports and a database of its own: the content subgraph and the
// gateway start under the background supervisor; killed with SIGKILL, content comes back and the logs say so;
// `microservices:stop` ends everything.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "microservices.ts");

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("microservices:start restarts a crashed service", () => {
  let database: TestDatabase;
  let folder: string;
  let env: NodeJS.ProcessEnv;
  let contentPort: number;

  const run = (...args: string[]) =>
    new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", script, ...args, "--only", "content", "--dir", folder], { env, stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout.on("data", (chunk) => (output += chunk));
      child.stderr.on("data", (chunk) => (output += chunk));
      child.once("exit", (code) => resolve({ code, output }));
    });
  const pidOf = (name: string) => Number(readFileSync(path.join(folder, ".run", `${name}.pid`), "utf8"));
  const contentHealthy = async () => {
    try {
      return (await fetch(`http://127.0.0.1:${contentPort}/health`)).ok;
    } catch {
      return false;
    }
  };

  beforeAll(async () => {
    [database, folder, contentPort] = await Promise.all([createTestDatabase(), mkdtemp(path.join(tmpdir(), "wf-microservices-")), freePort()]);
    const gatewayPort = await freePort();
    env = {
      ...process.env,
      NODE_ENV: "development",
      LOG_LEVEL: "warn",
      DATABASE_URL: database.url,
      CONTENT_PORT: String(contentPort),
      CONTENT_URL: `http://127.0.0.1:${contentPort}/graphql`,
      GATEWAY_PORT: String(gatewayPort),
    };
  });
  afterAll(async () => {
    if (folder) {
      await run("stop");
      await rm(folder, { recursive: true, force: true });
    }
    await database?.drop();
  });

  it("starts content and the gateway, brings content back after kill -9, and says so in the logs", async () => {
    const started = await run("start");
    expect(started.output).toContain("WatchFlixx is up");
    expect(started.code).toBe(0);
    const [supervisor, gateway, first] = [pidOf("supervisor"), pidOf("gateway"), pidOf("content")];

    process.kill(first, "SIGKILL");
    await expect.poll(() => readFileSync(path.join(folder, ".logs", "content.log"), "utf8"), { timeout: 10_000 }).toMatch(
      /content was killed by SIGKILL; restarting in 1 s/,
    );
    await expect.poll(contentHealthy, { timeout: 60_000, interval: 250 }).toBe(true);
    const second = pidOf("content");
    expect(second).not.toBe(first);
    expect(isAlive(second)).toBe(true);
    await expect.poll(() => readFileSync(path.join(folder, ".logs", "supervisor.log"), "utf8"), { timeout: 10_000 }).toMatch(
      new RegExp(`content was killed by SIGKILL; restarting in 1 s\\n[\\s\\S]*content is back \\(pid ${second}\\)`),
    );

    const stopped = await run("stop");
    expect(stopped.output).toContain(`stopped the supervisor (pid ${supervisor})`);
    for (const pid of [supervisor, second, gateway]) expect(isAlive(pid)).toBe(false);
  });
});
