// The gateway's graphql-ws connections to the subgraphs: one per subgraph and identity, signed afresh at every
// (re)connection and reconnecting by itself. Kept apart so the streams never deal with sockets, signing or retries.
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { GATEWAY_SUBSCRIBER, signWebSocketParams, type Identity } from "@watchflixx/common";

function toWebSocketUrl(httpUrl: string): string {
  const url = new URL(httpUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.toString();
}

export class UpstreamConnections {
  private readonly clients = new Map<string, Client>();

  constructor(
    private readonly gatewaySecret: string,
    /** The subgraph's HTTP URL (throws when it has none). */
    private readonly subgraphUrl: (serviceName: string) => string,
  ) {}

  private webSocketUrl(serviceName: string): string {
    return toWebSocketUrl(this.subgraphUrl(serviceName));
  }

  /** One upstream connection per subgraph and identity (the gateway's own, or one account's). */
  clientFor(serviceName: string, identity: Identity): Client {
    const url = this.webSocketUrl(serviceName);
    const key = `${url}\n${identity.userId}`;
    let client = this.clients.get(key);
    if (!client) {
      client = createClient({
        url,
        webSocketImpl: WebSocket,
        // Signed afresh at every (re)connection: the signature has a limited age and a one-time nonce.
        connectionParams: () => signWebSocketParams(identity, this.gatewaySecret),
        lazy: true,
        lazyCloseTimeout: 1000,
        keepAlive: 10_000,
        retryAttempts: Number.POSITIVE_INFINITY,
        shouldRetry: () => true,
        retryWait: async (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** retries, 5000))),
      });
      this.clients.set(key, client);
    }
    return client;
  }

  /** Closes an account's own connection (the caller knows no stream uses it); the shared one stays, lazily closed. */
  release(serviceName: string, identity: Identity): void {
    if (identity === GATEWAY_SUBSCRIBER) return;
    const key = `${this.webSocketUrl(serviceName)}\n${identity.userId}`;
    const client = this.clients.get(key);
    this.clients.delete(key);
    void Promise.resolve(client?.dispose()).catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    // A client whose lazy connection had just closed ('All Subscriptions Gone') rejects its dispose() with that
    // close event: nothing is left to release, and the shutdown must go on.
    await Promise.all([...this.clients.values()].map((client) => Promise.resolve(client.dispose()).catch(() => undefined)));
    this.clients.clear();
  }
}
