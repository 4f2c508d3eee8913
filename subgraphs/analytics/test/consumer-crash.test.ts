// A consumer killed (SIGKILL) in the middle of a batch and started again: every event is processed exactly
// once in effect — nothing the killed process had not committed survives, nothing it had committed repeats.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { createProfile, createTitle, createUser, newSession, playbackProgressed, playbackStarted, type Session } from "./fixtures.ts";

const WAIT = { timeout: 90_000, interval: 100 };
const consumerScript = path.join(path.dirname(fileURLToPath(import.meta.url)), "processes/slow-consumer.ts");

function startConsumerProcess(databaseUrl: string, holdMs: number): ChildProcess {
  // node itself (not the tsx wrapper, whose own child would survive the kill) with tsx as a loader.
  const child = spawn(process.execPath, ["--import", "tsx", consumerScript, databaseUrl, String(holdMs)], {
    cwd: path.resolve(path.dirname(consumerScript), "../.."),
    stdio: ["ignore", "pipe", "inherit"],
  });
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
}

let database: TestDatabase;
const children: ChildProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  for (const child of children) {
    child.kill("SIGKILL");
    await exited(child);
  }
  await database?.drop();
});

describe("analytics consumer crash", () => {
  it("processes every event once in effect after being killed mid-batch and restarted", async () => {
    const { db } = database;
    const user = await createUser(db, "binge");
    const profiles = [await createProfile(db, user.id, "One"), await createProfile(db, user.id, "Two")];
    const title = await createTitle(db, "Marathon");
    const sessions: Session[] = [];
    for (let i = 0; i < 40; i += 1) {
      const session = newSession(profiles[i % 2]!, title.id);
      sessions.push(session);
      await playbackStarted(db, session);
      await playbackProgressed(db, session, { positionSeconds: 60 + i, watchedSeconds: 60 + i, totalWatchedSeconds: 60 + i });
    }
    const total = await db.serviceEvent.count();
    const processed = () => db.serviceEvent.count({ where: { processedBy: { has: "analytics" } } });
    const inFlightHold = async () => {
      const [row] = await db.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND state = 'active' AND query LIKE '%pg_sleep%' AND pid <> pg_backend_pid()`;
      return (row?.n ?? 0) > 0;
    };

    // Each event's transaction stays open 50 ms after its effect: a kill almost always lands inside one.
    const first = startConsumerProcess(database.url, 50);
    children.push(first);
    await expect.poll(processed, WAIT).toBeGreaterThanOrEqual(15);
    // Kill it while one of its transactions has applied an event's effect and not committed yet.
    await expect.poll(inFlightHold, WAIT).toBe(true);
    first.kill("SIGKILL");
    await exited(first);
    const processedBeforeRestart = await processed();
    expect(processedBeforeRestart).toBeLessThan(total);

    const second = startConsumerProcess(database.url, 0);
    children.push(second);
    await expect.poll(processed, WAIT).toBe(total);

    const analytics = await db.contentAnalytics.findUniqueOrThrow({ where: { contentId: title.id } });
    // Every session watched a minute or more, but a profile counts one view of a title a day: two profiles, two views.
    expect(analytics.views).toBe(2);
    expect(analytics.uniqueViewers).toBe(2);
    expect(Number(analytics.totalWatchSeconds)).toBe(sessions.reduce((sum, _s, i) => sum + 60 + i, 0));
    const daily = await db.contentDailyViews.aggregate({ where: { contentId: title.id }, _sum: { views: true } });
    expect(daily._sum.views).toBe(2);
    expect(await db.viewingFact.count()).toBe(40);
    const events = await db.serviceEvent.findMany({ select: { processedBy: true } });
    expect(events.every((event) => event.processedBy.length === 1 && event.processedBy[0] === "analytics")).toBe(true);
  });
});
