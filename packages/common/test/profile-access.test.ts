// The profile-access cache's one rule, on the real Redis (and in memory, for embedded mode): an entry is stored only
// if its version is newer than the stored one, so a reader's fill from an old row never overwrites auth's newer
// write, and a deleted profile's tombstone is never overwritten; an unreachable or stalled Redis answers "not
// cached" promptly, so the reader reads PostgreSQL.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  closeEventRedis,
  connectEventRedis,
  createLogger,
  memoryProfileAccess,
  PROFILE_ACCESS_TIMEOUT_MS,
  PROFILE_ACCESS_TTL_MS,
  PROFILE_GONE,
  profileAccessKey,
  redisProfileAccess,
  type ProfileAccessCache,
  type ProfileAccessFacts,
} from "../src/index.ts";
import { freePort } from "../src/testing/redis.ts";

const logger = createLogger("profile-access-test", "error");

function facts(version: number, change: Partial<ProfileAccessFacts> = {}): ProfileAccessFacts {
  return { userId: "user-1", name: "Sam", isKids: false, maturityRating: "NC17", hasPin: false, version, ...change };
}

/** The version rule, the same for the Redis cache and the in-memory one. */
function versionRule(open: () => ProfileAccessCache) {
  it("keeps the newest version whatever order the writes arrive in (a slow reader's old row loses)", async () => {
    const cache = open();
    const id = randomUUID();
    expect(await cache.get(id)).toBeNull();
    // A reader missed and read the row at version 1; auth commits version 2 (the limit lowered) and writes it first.
    expect(await cache.offer(id, facts(2, { maturityRating: "G" }))).toBe(true);
    await cache.offer(id, facts(1));
    expect(await cache.get(id)).toEqual(facts(2, { maturityRating: "G" }));
    // The same version again (a reader that read the new row) changes nothing; a newer one replaces it.
    await cache.offer(id, facts(2, { maturityRating: "R" }));
    expect(await cache.get(id)).toMatchObject({ maturityRating: "G", version: 2 });
    await cache.offer(id, facts(3, { hasPin: true }));
    expect(await cache.get(id)).toEqual(facts(3, { hasPin: true }));
  });

  it("a deleted profile stays gone: no reader's fill brings it back", async () => {
    const cache = open();
    const id = randomUUID();
    await cache.offer(id, facts(4));
    await cache.markGone(id);
    await cache.offer(id, facts(4));
    await cache.offer(id, facts(5_000));
    expect(await cache.get(id)).toBe(PROFILE_GONE);
  });
}

describe("the profile-access cache in Redis", () => {
  let redis: Redis;
  let scope: string;
  beforeAll(async () => {
    redis = connectEventRedis("redis://127.0.0.1:6379", { name: "profile-access-test", logger, commandTimeoutMs: PROFILE_ACCESS_TIMEOUT_MS });
    await once(redis, "ready");
    scope = `test-${randomUUID()}`;
  });
  afterAll(async () => {
    const keys = await redis.keys(profileAccessKey(scope, "*"));
    if (keys.length > 0) await redis.del(...keys);
    await closeEventRedis(redis);
  });

  versionRule(() => redisProfileAccess(redis, scope));

  it("keeps each entry for a bounded time, under its scope's key", async () => {
    const cache = redisProfileAccess(redis, scope);
    const id = randomUUID();
    await cache.offer(id, facts(1));
    const ttl = await redis.pttl(profileAccessKey(scope, id));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(PROFILE_ACCESS_TTL_MS);
    // Another scope (another environment, or test database, holding the same profile ids) does not see it.
    expect(await redisProfileAccess(redis, `${scope}-other`).get(id)).toBeNull();
  });

  it("the script decides atomically: of concurrent offers, the newest version is what stays", async () => {
    const caches = [redisProfileAccess(redis, scope), redisProfileAccess(redis, scope)];
    const id = randomUUID();
    const versions = Array.from({ length: 40 }, (_, index) => index + 1).sort(() => Math.random() - 0.5);
    await Promise.all(versions.map((version, index) => caches[index % 2]!.offer(id, facts(version, { name: `v${version}` }))));
    expect(await caches[0]!.get(id)).toEqual(facts(40, { name: "v40" }));
  });
});

describe("the profile-access cache in memory (embedded mode)", () => {
  versionRule(() => memoryProfileAccess());

  it("forgets an entry after its TTL", async () => {
    let now = 1_000;
    const cache = memoryProfileAccess(() => now);
    await cache.offer("p", facts(1));
    now += PROFILE_ACCESS_TTL_MS - 1;
    expect(await cache.get("p")).toEqual(facts(1));
    now += 1;
    expect(await cache.get("p")).toBeNull();
    // Expired: a fill at any version is taken again.
    await cache.offer("p", facts(1));
    expect(await cache.get("p")).toEqual(facts(1));
  });
});

describe("the profile-access cache when Redis is not there", () => {
  let server: ChildProcess | undefined;
  afterAll(() => {
    if (server && server.exitCode === null) server.kill("SIGKILL");
  });

  it("unreachable: not cached, and nothing written", async () => {
    const redis = connectEventRedis(`redis://127.0.0.1:${await freePort()}`, { name: "profile-access-down", logger, commandTimeoutMs: PROFILE_ACCESS_TIMEOUT_MS });
    try {
      const cache = redisProfileAccess(redis, "down");
      expect(await cache.get("p")).toBeNull();
      expect(await cache.offer("p", facts(1))).toBe(false);
      expect(await cache.markGone("p")).toBe(false);
    } finally {
      await closeEventRedis(redis);
    }
  });

  it("stalled (the server stops answering): each command is given up after its timeout", async () => {
    const port = await freePort();
    server = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    const redis = connectEventRedis(`redis://127.0.0.1:${port}`, { name: "profile-access-stalled", logger, commandTimeoutMs: PROFILE_ACCESS_TIMEOUT_MS });
    try {
      await expect.poll(() => redis.status, { timeout: 5_000, interval: 50 }).toBe("ready");
      const cache = redisProfileAccess(redis, "stalled");
      await cache.offer("p", facts(1));
      expect(await cache.get("p")).toEqual(facts(1));
      // Without the command timeout these would wait for ever (and the test time out).
      server.kill("SIGSTOP");
      expect(await cache.get("p")).toBeNull();
      expect(await cache.offer("p", facts(2))).toBe(false);
    } finally {
      server.kill("SIGCONT");
      redis.disconnect();
    }
  });
});
