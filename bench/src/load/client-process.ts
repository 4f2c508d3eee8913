// The load generator, in a process of its own so that building requests and reading responses does not run on
// the gateway's event loop: N concurrent clients over undici keep-alive connections to 127.0.0.1 only.
import { createClient, type Client } from "graphql-ws";
import { Pool } from "undici";
import WebSocket from "ws";
import { epochNow, parseFanOutText, type ChildMessage, type FanOutJob, type FanOutResult, type LoadJob, type LoadResult, type ParentMessage } from "./protocol.ts";

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
  const cache: Record<string, number> = {};
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
        const outcome = response.headers["x-cache"];
        if (typeof outcome === "string") cache[outcome] = (cache[outcome] ?? 0) + 1;
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
    cache,
    clientCpuMs: (cpu.user + cpu.system) / 1000,
  };
}

interface FanOut {
  job: FanOutJob;
  clients: Client[];
  received: number[];
  sequences: number[][];
  errors: number;
  firstError?: string;
  latenciesMs: number[];
  firstDeliveryAt: number;
  lastDeliveryAt: number;
  cpuBefore: NodeJS.CpuUsage;
  collecting: boolean;
  timer?: NodeJS.Timeout;
  finish?: () => void;
}

const fanOuts = new Map<number, FanOut>();

function errorText(error: unknown): string {
  if (Array.isArray(error)) return error.map((item) => (item as { message?: string }).message ?? String(item)).join("; ");
  if (error instanceof Error) return error.message;
  if (error && typeof error === "object" && "code" in error) return `WebSocket closed with ${String((error as { code: unknown }).code)} ${String((error as { reason?: unknown }).reason ?? "")}`;
  return String(error);
}

/** Opens every subscriber; resolves once all connections are acknowledged (the subscribe message follows at once). */
async function startFanOut(job: FanOutJob): Promise<void> {
  const target = new URL(job.url);
  if (target.hostname !== "127.0.0.1") throw new Error(`fan-out: only 127.0.0.1 targets, got ${target.hostname}`);
  const state: FanOut = {
    job,
    clients: [],
    received: job.tokens.map(() => 0),
    sequences: job.tokens.map(() => []),
    errors: 0,
    latenciesMs: [],
    firstDeliveryAt: Number.NaN,
    lastDeliveryAt: Number.NaN,
    cpuBefore: process.cpuUsage(),
    collecting: false,
  };
  fanOuts.set(job.id, state);
  const connected = job.tokens.map(
    (token, index) =>
      new Promise<void>((resolve, reject) => {
        const client = createClient({
          url: job.url,
          webSocketImpl: WebSocket,
          connectionParams: { authorization: `Bearer ${token}` },
          retryAttempts: 0,
          on: {
            connected: () => resolve(),
            closed: (event) => reject(new Error(errorText(event))),
          },
        });
        state.clients.push(client);
        client.subscribe<Record<string, { text?: string }>>(
          { query: job.query, variables: job.variables },
          {
            next: (result) => {
              const now = epochNow();
              if (result.errors) {
                state.errors += 1;
                state.firstError ??= errorText(result.errors);
              }
              const text = result.data?.[job.field]?.text;
              const parsed = typeof text === "string" ? parseFanOutText(text) : null;
              if (!parsed) return;
              state.latenciesMs.push(now - parsed.sentAt);
              if (Number.isNaN(state.firstDeliveryAt)) state.firstDeliveryAt = now;
              state.lastDeliveryAt = now;
              state.received[index] = (state.received[index] ?? 0) + 1;
              state.sequences[index]?.push(parsed.sequence);
              if (state.collecting && allReceived(state)) state.finish?.();
            },
            error: (error) => {
              state.errors += 1;
              state.firstError ??= errorText(error);
            },
            complete: () => undefined,
          },
        );
      }),
  );
  await Promise.all(connected);
}

function allReceived(state: FanOut): boolean {
  return state.received.every((count) => count >= state.job.expected);
}

async function collectFanOut(id: number): Promise<FanOutResult> {
  const state = fanOuts.get(id);
  if (!state) throw new Error(`fan-out ${id} is unknown`);
  state.collecting = true;
  if (!allReceived(state)) {
    await new Promise<void>((resolve) => {
      state.finish = resolve;
      state.timer = setTimeout(resolve, state.job.timeoutMs);
    });
  }
  clearTimeout(state.timer);
  const cpu = process.cpuUsage(state.cpuBefore);
  await Promise.all(state.clients.map((client) => client.dispose()));
  fanOuts.delete(id);
  return {
    id,
    subscribers: state.job.tokens.length,
    delivered: state.latenciesMs.length,
    complete: state.received.filter((count) => count === state.job.expected).length,
    distinctOrders: new Set(state.sequences.map((sequence) => sequence.join(","))).size,
    errors: state.errors,
    ...(state.firstError === undefined ? {} : { firstError: state.firstError }),
    latenciesMs: state.latenciesMs,
    firstDeliveryAt: state.firstDeliveryAt,
    lastDeliveryAt: state.lastDeliveryAt,
    clientCpuMs: (cpu.user + cpu.system) / 1000,
  };
}

function failure(id: number) {
  return (error: unknown) => send({ kind: "error", id, message: error instanceof Error ? error.message : String(error) });
}

process.on("message", (message: ParentMessage) => {
  switch (message.kind) {
    case "exit":
      process.exit(0);
      break;
    case "job":
      run(message.job).then((result) => send({ kind: "result", result }), failure(message.job.id));
      break;
    case "fanout":
      startFanOut(message.job).then(() => send({ kind: "fanout-connected", id: message.job.id }), failure(message.job.id));
      break;
    case "fanout-collect":
      collectFanOut(message.id).then((result) => send({ kind: "fanout-result", result }), failure(message.id));
      break;
  }
});
process.on("disconnect", () => process.exit(0));
send({ kind: "ready" });
