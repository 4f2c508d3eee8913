// The supervisor with real processes: a small Node server that serves /health and then crashes, or refuses
// to start the way a misconfigured service does.
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { outputTail, StartupFailure, Supervisor, type RestartPolicy, type SupervisedService } from "../supervisor.ts";

const FAST: RestartPolicy = { initialDelayMs: 100, maxDelayMs: 400, stableAfterMs: 60_000, maxStartupFailures: 3, healthPollMs: 20 };

// Serves /health on PORT and exits with code 3 after LIFE_MS; refuses to start while the file BROKEN exists.
const SERVICE = `
const fs = require("node:fs");
if (fs.existsSync(process.env.BROKEN)) {
  console.error("Configuration error: DATABASE_URL must be a URL like postgresql://user@host:5432/database");
  process.exit(1);
}
require("node:http").createServer((req, res) => res.end("ok")).listen(Number(process.env.PORT), "127.0.0.1");
setTimeout(() => process.exit(3), Number(process.env.LIFE_MS));
`;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe("the supervisor", () => {
  let folder: string;
  let supervisor: Supervisor | undefined;
  const pids: number[] = [];

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), "wf-supervisor-"));
  });
  afterEach(async () => {
    await supervisor?.stop(1_000);
    supervisor = undefined;
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  async function service(name: string, lifeMs: number) {
    const port = await freePort();
    const broken = path.join(folder, `${name}.broken`);
    const tail = outputTail();
    const definition: SupervisedService = {
      name,
      spawn() {
        const child = spawn(process.execPath, ["-e", SERVICE], { env: { ...process.env, PORT: String(port), LIFE_MS: String(lifeMs), BROKEN: broken }, stdio: ["ignore", "pipe", "pipe"] });
        child.stdout.on("data", tail.add);
        child.stderr.on("data", tail.add);
        if (child.pid) pids.push(child.pid);
        return child;
      },
      healthy: async () => {
        try {
          return (await fetch(`http://127.0.0.1:${port}/health`)).ok;
        } catch {
          return false;
        }
      },
      recentOutput: tail.text,
    };
    return { definition, breakIt: () => writeFile(broken, "") };
  }

  function capture() {
    const lines: string[] = [];
    supervisor = new Supervisor((message) => lines.push(message), FAST);
    return { lines, supervisor };
  }

  it("restarts a service that crashes, with delays that double up to the cap, and says so", async () => {
    const { lines, supervisor } = capture();
    const { definition } = await service("content", 300);
    await supervisor.start(definition);
    await expect.poll(() => lines.filter((line) => line.includes("restarting")).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(4);
    expect(lines.filter((line) => line.includes("restarting")).slice(0, 4)).toEqual([
      "content exited with code 3; restarting in 0.1 s",
      "content exited with code 3; restarting in 0.2 s",
      "content exited with code 3; restarting in 0.4 s",
      "content exited with code 3; restarting in 0.4 s",
    ]);
    // Between crashes it really was back: serving /health under a new process.
    expect(lines.filter((line) => /^content is back \(pid \d+\)$/.test(line)).length).toBeGreaterThanOrEqual(3);
  });

  it("gives up on a service that keeps failing at start-up, and says why", async () => {
    const { lines, supervisor } = capture();
    const { definition, breakIt } = await service("payment", 400);
    await supervisor.start(definition);
    const spawnedBefore = pids.length;
    await breakIt(); // from now on it exits at once with a configuration error
    await expect.poll(() => lines.some((line) => line.includes("giving up")), { timeout: 20_000 }).toBe(true);
    const verdict = lines.find((line) => line.includes("giving up")) ?? "";
    expect(verdict).toMatch(/^payment exited with code 1; it failed to start 3 times in a row: giving up on it\. Last output:\n/);
    expect(verdict).toContain("Configuration error: DATABASE_URL must be a URL");
    // After the healthy run's crash: three failed starts, and no fourth.
    expect(pids.length - spawnedBefore).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(pids.length - spawnedBefore).toBe(3);
  });

  it("fails the first start of a service that cannot start, with its output", async () => {
    const { supervisor } = capture();
    const { definition, breakIt } = await service("auth", 10_000);
    await breakIt();
    const failure = supervisor.start(definition);
    await expect(failure).rejects.toBeInstanceOf(StartupFailure);
    await expect(failure).rejects.toThrow(/^auth exited with code 1 before it answered \/health\. Last output:\nConfiguration error: DATABASE_URL/);
  });

  it("stops everything it runs, and restarts nothing after", async () => {
    const { lines, supervisor } = capture();
    const { definition } = await service("social", 60_000);
    await supervisor.start(definition);
    const pid = supervisor.pid("social");
    expect(pid).toBeDefined();
    await supervisor.stop(1_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(() => process.kill(pid ?? 0, 0)).toThrow();
    expect(lines).toEqual([]);
  });
});
