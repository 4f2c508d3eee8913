// A graceful HTTP drain for servers behind a load balancer that balances connections (a Kubernetes Service, any
// L4 proxy): a client keeps its keep-alive connections to an instance that is shutting down, so the drain must
// not close one under a request the client is sending at that moment.
//
// Apollo's ApolloServerPluginDrainHttpServer calls `server.close()`, which (Node 19+) closes idle keep-alive
// connections at once: a client that wrote a request on one of them in that instant gets "other side closed"
// with no response, and a request that failed there cannot be retried blindly (it may be a mutation). Here:
// 1. stop accepting connections (the listening socket closes; open connections stay);
// 2. answer every request still in flight or still arriving on an open connection, with `Connection: close`,
//    so the client sends no further request on it;
// 3. let idle connections end at their keep-alive timeout, which clients were told (`Keep-Alive: timeout=5`)
//    and stop reusing a connection before (undici: 1-2 s before), so none is closed under a request;
// 4. after `graceMs`, close whatever is left (a client that ignores both signals, a request that hangs).
import http from "node:http";
import net from "node:net";
import type { ApolloServerPlugin } from "@apollo/server";

/** The longest a drain waits before closing the connections that are left. */
export const DEFAULT_DRAIN_GRACE_MS = 10_000;

export interface HttpDrain {
  /** Runs steps 1-4; resolves when every connection has ended. Safe to call more than once. */
  drain(): Promise<void>;
  readonly draining: boolean;
}

/** Tracks the server's responses from now on so that `drain()` can mark them `Connection: close`. */
export function trackHttpDrain(httpServer: http.Server, options: { graceMs?: number } = {}): HttpDrain {
  const graceMs = options.graceMs ?? DEFAULT_DRAIN_GRACE_MS;
  const inFlight = new Set<http.ServerResponse>();
  let draining: Promise<void> | undefined;

  const closeAfterResponse = (res: http.ServerResponse) => {
    if (!res.headersSent) res.setHeader("connection", "close");
  };
  // Before any other listener (express): the header is set while the response can still take it.
  httpServer.prependListener("request", (_req: http.IncomingMessage, res: http.ServerResponse) => {
    if (draining) {
      closeAfterResponse(res);
      return;
    }
    inFlight.add(res);
    res.once("close", () => inFlight.delete(res));
  });

  return {
    get draining() {
      return draining !== undefined;
    },
    drain() {
      draining ??= new Promise<void>((resolve) => {
        for (const res of inFlight) closeAfterResponse(res);
        inFlight.clear();
        const force = setTimeout(() => httpServer.closeAllConnections(), graceMs);
        force.unref();
        // net.Server's close, not http.Server's: the latter would close the idle keep-alive connections now.
        // Its callback runs once the last open connection has ended.
        net.Server.prototype.close.call(httpServer, () => {
          clearTimeout(force);
          resolve();
        });
        // Connections that were idle when the drain began and will get no further request: they end at their
        // keep-alive timeout (Node's own timer). A connection still open without a keep-alive timer (a request
        // still arriving) ends after its response.
      });
      return draining;
    },
  };
}

/**
 * Apollo Server's drain step done as above (in place of ApolloServerPluginDrainHttpServer): `apollo.stop()`
 * drains the HTTP server before it stops executing operations.
 */
export function gracefulDrainPlugin<TContext extends object>(httpServer: http.Server, options: { graceMs?: number } = {}): ApolloServerPlugin<TContext> {
  const drain = trackHttpDrain(httpServer, options);
  return {
    async serverWillStart() {
      return {
        async drainServer() {
          await drain.drain();
        },
      };
    },
  };
}
