// graphql-ws over `ws` with size limits, for the gateway and the subgraphs. graphql-ws's own `useServer` reads
// and JSON-parses every message whole, whatever its size (ws accepts 100 MiB by default): a 90 MB
// `connection_init` sent before authentication cost the gateway 218 MB. This is the same adapter built on
// graphql-ws's `makeServer` (its documented extension point), with two limits checked on the raw message,
// before any parsing:
// - every message: at most `maxMessageBytes` (ws's maxPayload; past it ws closes with 1009, without buffering);
// - until the connection is accepted (`connection_init`): at most `maxConnectionInitBytes`, else 4413.
import type http from "node:http";
import { CloseCode, handleProtocols, makeServer, type ConnectionInitMessage, type ServerOptions } from "graphql-ws";
import type { Extra } from "graphql-ws/use/ws";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import type { Logger } from "./logger.ts";

/** Close code for a connection_init (or anything sent before acceptance) over the limit. */
export const CLOSE_PAYLOAD_TOO_LARGE = 4413;

export interface WebSocketLimits {
  /** Largest message at all (ws's maxPayload): past it the socket closes with 1009. */
  maxMessageBytes: number;
  /** Largest message before the connection is accepted (the connection_init): past it, 4413. */
  maxConnectionInitBytes: number;
}

/** A subscribe message carries one operation document; a connection_init a token or signed headers. */
export const DEFAULT_WEBSOCKET_LIMITS: WebSocketLimits = { maxMessageBytes: 256 * 1024, maxConnectionInitBytes: 16 * 1024 };

export interface GraphqlWsSettings {
  server: http.Server;
  path: string;
  limits?: WebSocketLimits;
  logger?: Logger;
  /** Ping interval; a client that does not answer a ping within it is dropped (graphql-ws's default, 12 s). */
  keepAliveMs?: number;
}

function byteLength(data: RawData): number {
  return Array.isArray(data) ? data.reduce((total, part) => total + part.byteLength, 0) : data.byteLength;
}

/** Serves graphql-ws on `path` of `server`; returns what stops it (open sockets are closed with 1001). */
export function serveGraphqlWs<P extends ConnectionInitMessage["payload"] = ConnectionInitMessage["payload"], E extends Record<PropertyKey, unknown> = Record<PropertyKey, never>>(
  options: ServerOptions<P, Extra & Partial<E>>,
  settings: GraphqlWsSettings,
): () => Promise<void> {
  const limits = settings.limits ?? DEFAULT_WEBSOCKET_LIMITS;
  const keepAliveMs = settings.keepAliveMs ?? 12_000;
  const wsServer = new WebSocketServer({ server: settings.server, path: settings.path, maxPayload: limits.maxMessageBytes, handleProtocols });
  const accepted = new WeakSet<WebSocket>();
  const graphqlWs = makeServer<P, Extra & Partial<E>>({
    ...options,
    onConnect: async (ctx) => {
      const permitted = await options.onConnect?.(ctx);
      if (permitted !== false) accepted.add(ctx.extra.socket);
      return permitted;
    },
  });

  wsServer.on("error", (error) => settings.logger?.error("websocket server error", error));
  wsServer.on("connection", (socket, request) => {
    // A message over maxPayload makes ws emit an error and close with 1009 itself; other socket errors end it.
    socket.on("error", (error) => {
      settings.logger?.debug(`websocket closed on error: ${error.message}`);
      if (socket.readyState === socket.OPEN) socket.close(CloseCode.InternalServerError, "Internal server error");
    });
    let pongWait: NodeJS.Timeout | undefined;
    const pinger = setInterval(() => {
      if (socket.readyState !== socket.OPEN) return;
      pongWait = setTimeout(() => socket.terminate(), keepAliveMs);
      socket.once("pong", () => clearTimeout(pongWait));
      socket.ping();
    }, keepAliveMs);

    const closed = graphqlWs.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(data, (error) => (error ? reject(error) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on("message", async (data: RawData) => {
            if (!accepted.has(socket) && byteLength(data) > limits.maxConnectionInitBytes) {
              socket.close(CLOSE_PAYLOAD_TOO_LARGE, `connection_init larger than ${limits.maxConnectionInitBytes} bytes`);
              return;
            }
            try {
              await handle(String(data));
            } catch (error) {
              settings.logger?.error("websocket message handling failed", error);
              socket.close(CloseCode.InternalServerError, "Internal server error");
            }
          }),
      },
      { socket, request } as Extra & Partial<E>,
    );
    socket.once("close", (code, reason) => {
      clearInterval(pinger);
      clearTimeout(pongWait);
      void closed(code, String(reason));
    });
  });

  return async () => {
    for (const client of wsServer.clients) client.close(1001, "Going away");
    await new Promise<void>((resolve) => wsServer.close(() => resolve()));
  };
}
