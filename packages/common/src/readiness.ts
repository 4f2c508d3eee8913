// Readiness that tells the truth: `/ready` answers 503 naming what is down (PostgreSQL, Redis, the gateway's
// supergraph) so that an orchestrator stops sending traffic; `/health` stays liveness (the process answers).
// Every check has a short deadline: a dependency that does not answer counts as down, and the probe answers.
import type { RequestHandler } from "express";
import { Redis } from "ioredis";
import type { PrismaClient } from "@watchflixx/db";
import type { Logger } from "./logger.ts";

/** How long one dependency check may take before it counts as down. */
export const READINESS_CHECK_TIMEOUT_MS = 2_000;

export interface DependencyCheck {
  /** What the 503 names: `database`, `redis`, `supergraph`. */
  name: string;
  /** How the 503 says it is down (default `unreachable`). */
  problem?: string;
  /** Resolves when the dependency answers; throws (or misses the deadline) when it does not. */
  check(): Promise<void>;
}

function withDeadline(work: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** Runs every check at once; returns those that failed, with why (for the log). */
export async function failingDependencies(checks: DependencyCheck[], timeoutMs = READINESS_CHECK_TIMEOUT_MS) {
  const results = await Promise.all(
    checks.map(async ({ name, problem = "unreachable", check }) => {
      try {
        await withDeadline(check(), timeoutMs);
        return null;
      } catch (error) {
        return { name, problem, why: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
  return results.filter((result) => result !== null);
}

/**
 * GET /ready: 200 `{ status: "ready", service }`, or 503 `{ status: "unavailable", service, failing: [...],
 * reason: "redis unreachable" }`. Addresses and error details go to the log only (the gateway's /ready is public).
 */
export function readinessHandler(service: string, checks: () => DependencyCheck[], logger?: Logger): RequestHandler {
  const reported = new Set<string>();
  return async (_req, res) => {
    const failing = await failingDependencies(checks());
    for (const { name, problem, why } of failing) {
      // Once per outage, not once per probe.
      if (!reported.has(name)) logger?.warn(`not ready: ${name} ${problem} (${why})`);
      reported.add(name);
    }
    for (const name of reported) if (!failing.some((failure) => failure.name === name)) reported.delete(name);
    if (failing.length === 0) {
      res.json({ status: "ready", service });
      return;
    }
    const reason = failing.map((failure) => `${failure.name} ${failure.problem}`).join(", ");
    res.status(503).json({ status: "unavailable", service, failing: failing.map((failure) => failure.name), reason });
  };
}

export function databaseCheck(db: PrismaClient): DependencyCheck {
  return {
    name: "database",
    check: async () => {
      await db.$queryRaw`SELECT 1`;
    },
  };
}

export interface RedisProbe extends DependencyCheck {
  close(): Promise<void>;
}

/**
 * PING on one connection kept for the probes: opened at the first probe (a process never probed opens none),
 * reconnecting by itself, and without an offline queue, so that a probe while Redis is down fails at once
 * instead of waiting in a queue.
 */
export function redisProbe(url: string): RedisProbe {
  let client: Redis | undefined;
  let connecting: Promise<void> | undefined;
  return {
    name: "redis",
    async check() {
      if (!client) {
        client = new Redis(url, {
          lazyConnect: true,
          enableOfflineQueue: false,
          maxRetriesPerRequest: 0,
          connectionName: "watchflixx-readiness",
          retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
        });
        // Failures are what the probe reports; the connection keeps retrying by itself.
        client.on("error", () => undefined);
      }
      if (client.status === "wait") connecting = client.connect();
      if (client.status === "connecting" && connecting) await connecting;
      await client.ping();
    },
    async close() {
      client?.disconnect();
      client = undefined;
    },
  };
}
