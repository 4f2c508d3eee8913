// Messages between the benchmark and its load-generating child process.

/** One request a client may send: a GraphQL body (JSON text) and headers. */
export interface RequestVariant {
  body: string;
  headers: Record<string, string>;
}

export interface LoadJob {
  id: number;
  /** The gateway's http://127.0.0.1:<port>/graphql. */
  url: string;
  /** Cycled through by every client. */
  variants: RequestVariant[];
  /** Concurrent clients, each with at most one request in flight. */
  concurrency: number;
  /** Requests in all (bounded). */
  requests: number;
  /** Stop early after this long even if `requests` were not all sent (bounded). */
  maxDurationMs: number;
}

export interface LoadResult {
  id: number;
  completed: number;
  /** Responses that were not HTTP 200 with `data` and no `errors`. */
  failed: number;
  firstFailure?: string;
  elapsedMs: number;
  /** Per-request latency in milliseconds, in completion order. */
  latenciesMs: number[];
  /** How many answers carried each `x-cache` value (our gateway's entity cache; absent: none sent one). */
  cache: Record<string, number>;
  /** The client process's own CPU time during the job (user + system), to show it is not the bottleneck. */
  clientCpuMs: number;
}

/** Subscribers over graphql-ws, each on its own connection with its own token. */
export interface FanOutJob {
  id: number;
  /** The gateway's ws://127.0.0.1:<port>/graphql. */
  url: string;
  query: string;
  variables: Record<string, unknown>;
  /** The field of `data` that carries the event. */
  field: string;
  tokens: string[];
  /** Events each subscriber should receive before the job reports. */
  expected: number;
  timeoutMs: number;
}

export interface FanOutResult {
  id: number;
  subscribers: number;
  delivered: number;
  /** Subscribers that received exactly the expected number of events. */
  complete: number;
  /** Different event orders seen across subscribers (1: every subscriber saw the same order). */
  distinctOrders: number;
  errors: number;
  firstError?: string;
  /** Send-to-receive latency per delivery (ms), from the timestamp the sender put in the message text. */
  latenciesMs: number[];
  /** Epoch ms of the first and last delivery. */
  firstDeliveryAt: number;
  lastDeliveryAt: number;
  clientCpuMs: number;
}

export type ParentMessage =
  | { kind: "job"; job: LoadJob }
  | { kind: "fanout"; job: FanOutJob }
  /** The sender is done: report once every subscriber has its events (or at the timeout). */
  | { kind: "fanout-collect"; id: number }
  | { kind: "exit" };
export type ChildMessage =
  | { kind: "ready" }
  | { kind: "result"; result: LoadResult }
  | { kind: "fanout-connected"; id: number }
  | { kind: "fanout-result"; result: FanOutResult }
  | { kind: "error"; id: number; message: string };

/** The text a fan-out message carries: its sequence number and the epoch ms it was sent at. */
export function fanOutText(sequence: number, sentAtEpochMs: number): string {
  return `bench:${sequence}:${sentAtEpochMs.toFixed(3)}`;
}

export function parseFanOutText(text: string): { sequence: number; sentAt: number } | null {
  const match = /^bench:(\d+):([\d.]+)$/.exec(text);
  if (!match) return null;
  return { sequence: Number(match[1]), sentAt: Number(match[2]) };
}

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes. */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}
