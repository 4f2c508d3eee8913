// The gateway's HTTP client for subgraph requests: undici's `request` over one keep-alive Agent.
// Measured on this machine (TOOLCHAIN.md) at 1.3-1.5x the throughput of @apollo/gateway's default fetcher.
import { STATUS_CODES } from "node:http";
import type { RemoteGraphQLDataSource } from "@apollo/gateway";
import { Agent, request } from "undici";

type Fetcher = RemoteGraphQLDataSource["fetcher"];
type FetcherResponse = Awaited<ReturnType<Fetcher>>;

export interface SubgraphFetcher {
  fetcher: Fetcher;
  /** Closes the pooled connections (on gateway shutdown). */
  close(): Promise<void>;
}

class BufferedResponse implements FetcherResponse {
  readonly bodyUsed = false;
  readonly redirected = false;
  readonly ok: boolean;
  readonly statusText: string;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly headers: Headers,
    private readonly body: Buffer,
  ) {
    this.ok = status >= 200 && status < 300;
    this.statusText = STATUS_CODES[status] ?? "";
  }

  async text(): Promise<string> {
    return this.body.toString("utf8");
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.body.toString("utf8"));
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const copy = new ArrayBuffer(this.body.byteLength);
    new Uint8Array(copy).set(this.body);
    return copy;
  }

  clone(): BufferedResponse {
    return new BufferedResponse(this.url, this.status, new Headers(this.headers), this.body);
  }
}

export function createSubgraphFetcher(options: { connectionsPerOrigin?: number } = {}): SubgraphFetcher {
  const agent = new Agent({
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 10 * 60_000,
    connections: options.connectionsPerOrigin ?? 128,
    pipelining: 1,
  });

  const fetcher: Fetcher = async (url, init = {}) => {
    const response = await request(url, {
      method: (init.method ?? "GET") as "GET" | "POST",
      headers: init.headers,
      body: init.body,
      signal: init.signal,
      dispatcher: agent,
    });
    const body = Buffer.from(await response.body.arrayBuffer());
    const headers = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      if (value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
    }
    return new BufferedResponse(url, response.statusCode, headers, body);
  };

  return {
    fetcher,
    close: () => agent.close(),
  };
}
