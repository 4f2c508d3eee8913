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
  /** The client process's own CPU time during the job (user + system), to show it is not the bottleneck. */
  clientCpuMs: number;
}

export type ParentMessage = { kind: "job"; job: LoadJob } | { kind: "exit" };
export type ChildMessage = { kind: "ready" } | { kind: "result"; result: LoadResult } | { kind: "error"; id: number; message: string };
