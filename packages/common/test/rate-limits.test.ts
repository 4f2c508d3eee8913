// The shared rate-limit helper against the real Redis: atomic under concurrency, one count for every replica of a
// scope, separate counts for separate scopes, in memory when Redis is unreachable, RATE_LIMITS parsed strictly.
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addressBucket, baseConfigSchema, ConfigurationError, parseConfig, RateLimitedError, RateLimits } from "../src/index.ts";

const outcomes = (results: PromiseSettledResult<void>[]) => ({
  passed: results.filter((result) => result.status === "fulfilled").length,
  limited: results.filter((result) => result.status === "rejected" && result.reason instanceof RateLimitedError).length,
});

describe("RateLimits", () => {
  let redis: Redis;
  beforeAll(async () => {
    redis = new Redis("redis://127.0.0.1:6379", { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    await once(redis, "ready");
  });
  afterAll(async () => {
    await redis?.quit();
  });

  it("lets exactly the limit through when requests arrive together, on two replicas sharing a scope", async () => {
    const scope = `test-${randomUUID()}`;
    const overrides = { "sign-up-address": { points: 5, seconds: 60 } };
    const replicas = [RateLimits.shared(redis, scope, overrides), RateLimits.shared(redis, scope, overrides)];
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => replicas[i % 2]!.consume("sign-up-address", "203.0.113.9")));
    expect(outcomes(results)).toEqual({ passed: 5, limited: 15 });
    const refusal = results.find((result) => result.status === "rejected") as PromiseRejectedResult;
    expect(refusal.reason.extensions).toMatchObject({ code: "RATE_LIMITED", retryAfterSeconds: expect.any(Number) });
    expect(refusal.reason.extensions.retryAfterSeconds).toBeLessThanOrEqual(60);

    // Another scope (another environment, another test database) on the same Redis has its own count.
    const elsewhere = RateLimits.shared(redis, `test-${randomUUID()}`, overrides);
    await expect(elsewhere.consume("sign-up-address", "203.0.113.9")).resolves.toBeUndefined();
    // A cleared key starts again.
    await replicas[0]!.clear("sign-up-address", "203.0.113.9");
    await expect(replicas[1]!.consume("sign-up-address", "203.0.113.9")).resolves.toBeUndefined();
  });

  it("keeps limiting, per instance, while Redis is unreachable", async () => {
    const down = new Redis("redis://127.0.0.1:1", { enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => null });
    down.on("error", () => undefined);
    try {
      const limits = RateLimits.shared(down, "any", { "pairing-address": { points: 3, seconds: 60 } });
      const results = await Promise.allSettled(Array.from({ length: 6 }, () => limits.consume("pairing-address", "203.0.113.10")));
      expect(outcomes(results)).toEqual({ passed: 3, limited: 3 });
    } finally {
      down.disconnect();
    }
  });

  it("remembers a key for 30 days in memory too (without Redis), not for the 1 ms an overlong timer lasts", async () => {
    const limits = RateLimits.inMemory();
    await limits.remember("known-address", "owner@example.test\n203.0.113.9", 30 * 24 * 60 * 60);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await limits.remembers("known-address", "owner@example.test\n203.0.113.9")).toBe(true);
    expect(await limits.remembers("known-address", "someone@example.test\n203.0.113.9")).toBe(false);
  });

  it("counts an IPv4 address alone and an IPv6 address by its /64", () => {
    expect(addressBucket("203.0.113.9")).toBe("203.0.113.9");
    expect(addressBucket("2001:db8:85a3:12:8a2e:370:7334:1")).toBe("2001:db8:85a3:12::/64");
    expect(addressBucket("2001:DB8:85a3:0012::ffff")).toBe("2001:db8:85a3:12::/64");
    expect(addressBucket("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressBucket("::1")).toBe("0:0:0:0::/64");
    expect(addressBucket("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
  });

  it("reads RATE_LIMITS overrides, and refuses unknown names and bad values with the variable named", () => {
    const config = parseConfig(baseConfigSchema, { RATE_LIMITS: "sign-up-address=5/3600, gateway-address=100/60" });
    expect(config.RATE_LIMITS).toEqual({ "sign-up-address": { points: 5, seconds: 3600 }, "gateway-address": { points: 100, seconds: 60 } });
    expect(parseConfig(baseConfigSchema, {}).RATE_LIMITS).toEqual({});
    expect(() => parseConfig(baseConfigSchema, { RATE_LIMITS: "sign-up=5/3600" })).toThrow(ConfigurationError);
    expect(() => parseConfig(baseConfigSchema, { RATE_LIMITS: "sign-up=5/3600" })).toThrow(/^RATE_LIMITS names an unknown limit "sign-up"/);
    expect(() => parseConfig(baseConfigSchema, { RATE_LIMITS: "sign-up-address=five" })).toThrow(/^RATE_LIMITS has "sign-up-address=five"/);
    expect(() => parseConfig(baseConfigSchema, { RATE_LIMITS: "sign-up-address=0/60" })).toThrow(/at least 1/);
  });
});
