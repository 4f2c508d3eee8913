// A subgraph started with bad configuration stops at once with one line that names the variable: no stack trace.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const main = path.resolve(import.meta.dirname, "../src/main.ts");

function start(env: Record<string, string>) {
  const result = spawnSync(process.execPath, ["--import", "tsx", main], {
    env: { ...process.env, AUTH_PORT: "3091", ...env },
    encoding: "utf8",
    timeout: 30_000,
  });
  return { status: result.status, lines: `${result.stdout}${result.stderr}`.split("\n").filter((line) => line.trim() !== "") };
}

describe("start-up with bad configuration", () => {
  it("refuses a malformed DATABASE_URL", () => {
    const { status, lines } = start({ DATABASE_URL: "not a url" });
    expect(status).toBe(1);
    expect(lines).toEqual(["Configuration error: DATABASE_URL must be a URL like postgresql://user@host:5432/database"]);
  });

  it("refuses a database it cannot reach, naming DATABASE_URL", () => {
    const { status, lines } = start({ DATABASE_URL: "postgresql://postgres@127.0.0.1:1/watchflixx" });
    expect(status).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[auth\] DATABASE_URL: cannot reach PostgreSQL at 127\.0\.0\.1:1\/watchflixx/);
  });
});
