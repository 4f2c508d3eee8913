// Who may open a socket and start a subscription on it: the token at connection_init (4401/4403), the gateway's
// rate limits (4429, RATE_LIMITED) and the per-socket cap. The graphql-ws callbacks of the engine ask here first.
import type http from "node:http";
import { GraphQLError } from "graphql";
import { CloseCode, type Context } from "graphql-ws";
import type { Extra } from "graphql-ws/use/ws";
import { ErrorCode, type Identity } from "@watchflixx/common";
import { AuthenticationFailedError, type AuthenticatedSession } from "../auth.ts";
import { closeWhenExpired, TOO_MANY_REQUESTS_CLOSE_CODE, tooManySubscriptions, type SocketRegistry } from "./sockets.ts";

/** What the gateway learns about a socket's client at connection_init. */
export type ClientOfSocket = {
  identity?: Identity | null;
  clientAddress?: string | null;
};

export type SocketContext = Context<Record<string, unknown>, Extra & Partial<ClientOfSocket>>;

export interface ConnectionGateOptions {
  authenticate(authorization: string | null | undefined): Promise<AuthenticatedSession | null>;
  /** The client address of a WebSocket's upgrade request. Default: none (no per-address limit). */
  clientAddressOf?(req: http.IncomingMessage): string;
  /** The gateway's rate limits: each connection and each subscription counts (throws RATE_LIMITED). */
  admit?(caller: { identity: Identity | null; clientAddress: string | null }): Promise<void>;
  sockets: SocketRegistry;
  maxSubscriptionsPerSocket: number;
}

export class ConnectionGate {
  constructor(private readonly options: ConnectionGateOptions) {}

  /** graphql-ws's onConnect: false (the socket already closed with its code) refuses the connection. */
  async accept(ctx: SocketContext): Promise<boolean> {
    const socket = ctx.extra.socket;
    const authorization = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
    if (typeof authorization !== "string" || authorization.trim() === "") {
      socket.close(CloseCode.Unauthorized, "Unauthorized: connectionParams.authorization is required");
      return false;
    }
    try {
      const session = await this.options.authenticate(authorization);
      ctx.extra.identity = session?.identity ?? null;
      ctx.extra.clientAddress = this.options.clientAddressOf?.(ctx.extra.request) ?? null;
      const refused = await this.refusedByRateLimit(ctx.extra.identity, ctx.extra.clientAddress);
      if (refused) {
        socket.close(TOO_MANY_REQUESTS_CLOSE_CODE, `Too many requests: retry in ${String(refused.extensions.retryAfterSeconds ?? 1)} s`);
        return false;
      }
      if (session) {
        closeWhenExpired(socket, session.expiresAt);
        this.options.sockets.track(socket, session.identity);
      }
      return true;
    } catch (error) {
      const expired = error instanceof AuthenticationFailedError && error.extensions.reason === "TOKEN_EXPIRED";
      // Expired: re-authenticate (4401). Forged or malformed: refused (4403).
      socket.close(expired ? CloseCode.Unauthorized : CloseCode.Forbidden, expired ? "Unauthorized: token expired" : "Forbidden");
      return false;
    }
  }

  /** Before a subscribe is even parsed: the errors that refuse it (over a rate limit, or the socket's cap), or undefined. */
  async refuseSubscription(ctx: SocketContext): Promise<GraphQLError[] | undefined> {
    const refused = await this.refusedByRateLimit(ctx.extra.identity ?? null, ctx.extra.clientAddress ?? null);
    if (refused) return [refused];
    // graphql-ws has already registered this one: more than the cap means one too many.
    const max = this.options.maxSubscriptionsPerSocket;
    if (Object.keys(ctx.subscriptions).length > max) return [tooManySubscriptions(max)];
    return undefined;
  }

  /** The RATE_LIMITED error when the caller is over one of the gateway's limits, else undefined. */
  private async refusedByRateLimit(identity: Identity | null, clientAddress: string | null): Promise<GraphQLError | undefined> {
    try {
      await this.options.admit?.({ identity, clientAddress });
      return undefined;
    } catch (error) {
      if (error instanceof GraphQLError && error.extensions.code === ErrorCode.RATE_LIMITED) return error;
      throw error;
    }
  }
}
