// The client sockets an account holds: the caps on them (per socket, per account, close code 4429) and the ways a
// socket ends before its client closes it (its token expires, its session is revoked), each closing with 4401.
import { GraphQLError } from "graphql";
import { CloseCode } from "graphql-ws";
import type WebSocket from "ws";
import { ErrorCode, DEFAULT_WEBSOCKET_LIMITS, type Identity, type SessionRevocation, type WebSocketLimits } from "@watchflixx/common";

export interface SubscriptionLimits extends WebSocketLimits {
  /** Active subscriptions on one socket; the next is refused with RATE_LIMITED (reason TOO_MANY_SUBSCRIPTIONS). */
  maxSubscriptionsPerSocket: number;
  /** Open sockets per account; one more closes the account's oldest with 4429. */
  maxSocketsPerAccount: number;
}

export const DEFAULT_SUBSCRIPTION_LIMITS: SubscriptionLimits = { ...DEFAULT_WEBSOCKET_LIMITS, maxSubscriptionsPerSocket: 50, maxSocketsPerAccount: 20 };

/**
 * graphql-ws's "too many requests" close code (final for its clients: no automatic retry): a connection over the
 * gateway's rate limit, and an account's oldest socket when a new one would pass WS_MAX_SOCKETS_PER_ACCOUNT.
 */
export const TOO_MANY_REQUESTS_CLOSE_CODE = 4429;

export function tooManySubscriptions(max: number): GraphQLError {
  return new GraphQLError(`At most ${max} subscriptions may be active on one connection: complete one first.`, {
    extensions: { code: ErrorCode.RATE_LIMITED, reason: "TOO_MANY_SUBSCRIPTIONS", limit: max },
  });
}

/** setTimeout's longest delay (about 24.8 days); a later expiry is re-armed from there. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A socket is as good as the token it was opened with: at the token's expiry the gateway closes it with 4401,
 * as it would refuse that token at connection_init, and the client reconnects with a fresh one (graphql-ws
 * calls its `connectionParams` again). Without this, a socket would go on serving a token that HTTP refuses.
 * (A session that ends sooner, by sign-out, closes its sockets at once: `endSessions`.)
 */
export function closeWhenExpired(socket: WebSocket, expiresAt: Date): void {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const remaining = expiresAt.getTime() - Date.now();
    if (remaining <= 0) {
      socket.close(CloseCode.Unauthorized, "Unauthorized: token expired");
      return;
    }
    timer = setTimeout(arm, Math.min(remaining, MAX_TIMER_MS));
    timer.unref();
  };
  arm();
  socket.once("close", () => clearTimeout(timer));
}

/** Open sockets by account, with the device their token names: what the per-account cap and a session revocation close. */
export class SocketRegistry {
  private readonly sockets = new Map<string, Map<WebSocket, string | null>>();

  constructor(private readonly maxSocketsPerAccount: number) {}

  track(socket: WebSocket, identity: Identity): void {
    const ofAccount = this.sockets.get(identity.userId) ?? new Map<WebSocket, string | null>();
    this.sockets.set(identity.userId, ofAccount);
    // Over the cap the account's OLDEST socket goes, not the new one: a device that just reconnected (new
    // network, woken from sleep) is the one in use, the oldest is the likeliest to be a dead connection not yet
    // noticed. 4429 is final for graphql-ws clients (no automatic retry), so two devices cannot evict each
    // other in a loop.
    for (const oldest of ofAccount.keys()) {
      if (ofAccount.size < this.maxSocketsPerAccount) break;
      ofAccount.delete(oldest);
      oldest.close(TOO_MANY_REQUESTS_CLOSE_CODE, "Too many connections for this account: this one, the oldest, was closed");
    }
    ofAccount.set(socket, identity.deviceId);
    socket.once("close", () => {
      ofAccount.delete(socket);
      if (ofAccount.size === 0 && this.sockets.get(identity.userId) === ofAccount) this.sockets.delete(identity.userId);
    });
  }

  /**
   * A session ended (signed out, or its refresh token was reused): its sockets close now with 4401, as at the
   * token's expiry; the client's refresh then fails and it signs in again. A revocation for one device spares
   * the account's other devices.
   */
  endSession(revocation: SessionRevocation): void {
    for (const [socket, deviceId] of this.sockets.get(revocation.userId) ?? []) {
      if (revocation.deviceId === null || revocation.deviceId === deviceId) socket.close(CloseCode.Unauthorized, "Unauthorized: signed out");
    }
  }
}
