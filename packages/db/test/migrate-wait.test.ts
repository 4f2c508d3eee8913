// `migrate.mjs wait`, what the Kubernetes init containers run: it holds a pod until the migration Job has
// applied this build's migrations, and lets it start at once when they are there.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, waitForMigrations } from "../src/migrate/index.ts";
import { createEmptyDatabase } from "../src/testing/index.ts";

describe("waiting for the migrations", () => {
  let database: { url: string; drop(): Promise<void> };
  beforeAll(async () => {
    database = await createEmptyDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it("waits while migrations are pending and is done once they are applied", async () => {
    const reasons: string[] = [];
    const stillPending = await waitForMigrations({ databaseUrl: database.url, timeoutMs: 300, intervalMs: 100, onWait: (reason) => reasons.push(reason) });
    expect(stillPending).toBe(false);
    expect(reasons[0]).toMatch(/^pending migration\(s\): \d{14}_/);

    // The Job applies them while a pod waits.
    const waiting = waitForMigrations({ databaseUrl: database.url, timeoutMs: 60_000, intervalMs: 100 });
    await applyMigrations({ databaseUrl: database.url });
    expect(await waiting).toBe(true);
    expect(await waitForMigrations({ databaseUrl: database.url, timeoutMs: 1_000, intervalMs: 100 })).toBe(true);
  });

  it("waits for a database it cannot reach", async () => {
    const reasons: string[] = [];
    const url = "postgresql://postgres@127.0.0.1:1/watchflixx";
    expect(await waitForMigrations({ databaseUrl: url, timeoutMs: 200, intervalMs: 100, onWait: (reason) => reasons.push(reason) })).toBe(false);
    expect(reasons[0]).toMatch(/^database not reachable/);
  });
});
