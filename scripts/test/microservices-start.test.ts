// `pnpm microservices:start` when a service cannot start: the console says why (its configuration error
// line), not only which log file to read.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const repositoryRoot = path.resolve(import.meta.dirname, "..", "..");

describe("a failed start", () => {
  it("prints the failing service's reason on the console", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/microservices.ts", "start"], {
      cwd: repositoryRoot,
      // Ports of their own (nothing else of ours listens there), and a secret every service refuses.
      env: { ...process.env, NODE_ENV: "development", WATCHFLIXX_PORT_BASE: "43100", JWT_ACCESS_SECRET: "too-short" },
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(result.status).toBe(1);
    // The supervisor's verdict on the first service that failed, with its own last words: the configuration line.
    expect(result.stderr).toMatch(/^\w+ exited with code 1 before it answered \/health\. Last output:$/m);
    expect(result.stderr).toMatch(/^Configuration error: JWT_ACCESS_SECRET must be at least 16 characters$/m);
  });
});
