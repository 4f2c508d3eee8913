// The gateway's /ready: 503 naming Redis while the Redis its subscriptions need is down, ready again when it
// returns; /health stays 200. (Not ready before a supergraph is loaded: introspect.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { startTestRedis, type TestRedisServer } from "@watchflixx/common/testing/redis";
import { startSupergraph, type RunningSupergraph } from "@watchflixx/testing";
import { contentFixture } from "./fixtures.ts";

describe("the gateway's readiness", () => {
  let database: TestDatabase;
  let redis: TestRedisServer;
  let supergraph: RunningSupergraph;

  beforeAll(async () => {
    [database, redis] = await Promise.all([createTestDatabase(), startTestRedis()]);
    supergraph = await startSupergraph({ db: database.db, config: { REDIS_URL: redis.url, LOG_LEVEL: "error" }, subgraphs: [await contentFixture()] });
  });
  afterAll(async () => {
    await supergraph?.stop();
    await redis?.stop();
    await database?.drop();
  });

  const probe = async (path: "/ready" | "/health") => {
    const response = await fetch(supergraph.url.replace(/\/graphql$/, path));
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it("is not ready while Redis is down, stays alive, and is ready again when Redis returns", async () => {
    expect(await probe("/ready")).toEqual({ status: 200, body: { status: "ready", service: "gateway" } });

    await redis.stop();
    expect(await probe("/ready")).toEqual({
      status: 503,
      body: { status: "unavailable", service: "gateway", failing: ["redis"], reason: "redis unreachable" },
    });
    expect((await probe("/health")).status).toBe(200);
    // Queries do not need Redis: still served.
    expect((await supergraph.gql("{ films { id } }")).data).toEqual({ films: [{ id: "f1" }, { id: "f2" }] });

    await redis.start();
    await expect.poll(async () => (await probe("/ready")).status, { timeout: 10_000, interval: 200 }).toBe(200);
  });
});
