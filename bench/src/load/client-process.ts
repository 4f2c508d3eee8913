// The load generator, in a process of its own so that building requests and reading responses does not run on
// the gateway's event loop: N concurrent clients over undici keep-alive connections to 127.0.0.1 only.
import { Pool } from "undici";
import type { ChildMessage, LoadJob, LoadResult, ParentMessage } from "./protocol.ts";

function send(message: ChildMessage): void {
  process.send?.(message);
}

function isSuccess(status: number, text: string): boolean {
  // A cheap check that keeps the client light: a GraphQL success starts with data and carries no errors.
  return status === 200 && text.startsWith('{"data":') && !text.includes('"errors":[');
}

async function run(job: LoadJob): Promise<LoadResult> {
  const target = new URL(job.url);
  if (target.hostname !== "127.0.0.1") throw new Error(`load client: only 127.0.0.1 targets, got ${target.hostname}`);
  const pool = new Pool(target.origin, { connections: job.concurrency, pipelining: 1, keepAliveTimeout: 30_000 });
  const latenciesMs: number[] = [];
  let failed = 0;
  let firstFailure: string | undefined;
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + job.maxDurationMs;

  const client = async (): Promise<void> => {
    while (next < job.requests && performance.now() < deadline) {
      const variant = job.variants[next % job.variants.length];
      next += 1;
      if (!variant) continue;
      const sent = performance.now();
      try {
        const response = await pool.request({
          path: target.pathname,
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json", ...variant.headers },
          body: variant.body,
        });
        const text = await response.body.text();
        latenciesMs.push(performance.now() - sent);
        if (!isSuccess(response.statusCode, text)) {
          failed += 1;
          firstFailure ??= `HTTP ${response.statusCode}: ${text.slice(0, 400)}`;
        }
      } catch (error) {
        latenciesMs.push(performance.now() - sent);
        failed += 1;
        firstFailure ??= error instanceof Error ? error.message : String(error);
      }
    }
  };

  try {
    await Promise.all(Array.from({ length: job.concurrency }, () => client()));
  } finally {
    await pool.close();
  }
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    id: job.id,
    completed: latenciesMs.length,
    failed,
    ...(firstFailure === undefined ? {} : { firstFailure }),
    elapsedMs,
    latenciesMs,
    clientCpuMs: (cpu.user + cpu.system) / 1000,
  };
}

process.on("message", (message: ParentMessage) => {
  if (message.kind === "exit") {
    process.exit(0);
  }
  run(message.job).then(
    (result) => send({ kind: "result", result }),
    (error: unknown) => send({ kind: "error", id: message.job.id, message: error instanceof Error ? error.message : String(error) }),
  );
});
process.on("disconnect", () => process.exit(0));
send({ kind: "ready" });
