// Sessions: access tokens (15-minute JWTs) and refresh tokens (opaque, 30 days, stored as sha256, one family per
// sign-in). Presenting a refresh token that was already rotated revokes its whole family and the device's
// session: whoever holds a copy (thief or victim) has to sign in again.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import {
  ACCESS_TOKEN_TTL_SECONDS,
  UnauthenticatedError,
  issueAccessToken,
  publishSessionRevocation,
  type Bus,
  type Identity,
  type Logger,
  type SessionRevocation,
} from "@watchflixx/common";
import type { Prisma, PrismaClient } from "@watchflixx/db";
import { USER_COLUMNS, type UserRow } from "./batch-queries.ts";

export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export interface IssuedRefreshToken {
  refreshToken: string;
  refreshTokenExpiresAt: Date;
}

export interface AuthPayloadData extends IssuedRefreshToken {
  accessToken: string;
  accessTokenExpiresAt: Date;
  user: UserRow;
}

export function hashRefreshToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Stores a new refresh token (only its hash) and returns the token itself, which only the client keeps. */
export async function storeRefreshToken(
  tx: Prisma.TransactionClient,
  session: { userId: string; deviceId: string; familyId?: string },
  now = new Date(),
): Promise<IssuedRefreshToken> {
  const refreshToken = randomBytes(32).toString("base64url");
  const refreshTokenExpiresAt = new Date(now.getTime() + REFRESH_TOKEN_TTL_MS);
  await tx.refreshToken.create({
    data: {
      userId: session.userId,
      deviceId: session.deviceId,
      familyId: session.familyId ?? randomUUID(),
      tokenHash: hashRefreshToken(refreshToken),
      expiresAt: refreshTokenExpiresAt,
    },
  });
  return { refreshToken, refreshTokenExpiresAt };
}

type RefreshOutcome =
  | { kind: "rotated"; payload: IssuedRefreshToken & { user: UserRow; deviceId: string } }
  | { kind: "refused"; ended?: SessionRevocation };

export class SessionService {
  /**
   * `accessTokenSecret` is the configuration's JWT_ACCESS_SECRET (the gateway verifies with the same value); ended
   * sessions are announced on `bus`, so that the gateways close their WebSockets.
   */
  constructor(
    private readonly db: PrismaClient,
    private readonly accessTokenSecret: string,
    private readonly bus: Bus,
    private readonly logger: Logger,
  ) {}

  /** Adds the access token to a session whose refresh token was stored in the caller's transaction. */
  async payload(user: UserRow, deviceId: string, refresh: IssuedRefreshToken): Promise<AuthPayloadData> {
    const identity: Identity = { userId: user.id, role: user.role, deviceId };
    const now = Date.now();
    const accessToken = await issueAccessToken(identity, this.accessTokenSecret, now);
    const accessTokenExpiresAt = new Date(Math.floor(now / 1000) * 1000 + ACCESS_TOKEN_TTL_SECONDS * 1000);
    return { accessToken, accessTokenExpiresAt, ...refresh, user };
  }

  /** Rotates a refresh token. Unknown, expired, revoked or reused tokens are UNAUTHENTICATED alike. */
  async refresh(presented: string): Promise<AuthPayloadData> {
    const now = new Date();
    const outcome = await this.db.$transaction(async (tx): Promise<RefreshOutcome> => {
      const token = await tx.refreshToken.findUnique({
        where: { tokenHash: hashRefreshToken(presented) },
        select: {
          id: true,
          familyId: true,
          deviceId: true,
          expiresAt: true,
          rotatedAt: true,
          revokedAt: true,
          user: { select: USER_COLUMNS },
          device: { select: { revokedAt: true } },
        },
      });
      if (!token || token.revokedAt || token.expiresAt <= now || !token.deviceId || token.device?.revokedAt) {
        return { kind: "refused" };
      }
      // Claim the token: only one presentation can win, even when two arrive at once.
      const claimed = await tx.refreshToken.updateMany({
        where: { id: token.id, rotatedAt: null, revokedAt: null },
        data: { rotatedAt: now, version: { increment: 1 } },
      });
      if (claimed.count === 0) {
        await revokeFamily(tx, token.familyId, token.deviceId, now);
        return { kind: "refused", ended: { userId: token.user.id, deviceId: token.deviceId } };
      }
      const next = await storeRefreshToken(tx, { userId: token.user.id, deviceId: token.deviceId, familyId: token.familyId }, now);
      await tx.device.update({ where: { id: token.deviceId }, data: { lastSeenAt: now, version: { increment: 1 } } });
      return { kind: "rotated", payload: { ...next, user: token.user, deviceId: token.deviceId } };
    });
    if (outcome.kind === "refused") {
      if (outcome.ended) await this.announceSessionsEnded(outcome.ended);
      throw new UnauthenticatedError("This refresh token is not valid. Sign in again.");
    }
    const { user, deviceId, ...refresh } = outcome.payload;
    return this.payload(user, deviceId, refresh);
  }

  /**
   * Ends the caller's session: the refresh tokens of the device the access token was issued to, and the device
   * itself (it leaves `me.devices`). A caller whose token names no device is signed out everywhere.
   * True when something was revoked; false when it already was (idempotent). The access token itself stays
   * valid for HTTP until it expires (at most 15 minutes): it is a stateless JWT; the gateways close the
   * session's WebSockets at once.
   */
  async signOut(identity: Identity): Promise<boolean> {
    const now = new Date();
    const revoked = await this.db.$transaction(async (tx) => {
      const deviceFilter = identity.deviceId ? { id: identity.deviceId } : {};
      const tokenFilter = identity.deviceId ? { deviceId: identity.deviceId } : {};
      const tokens = await tx.refreshToken.updateMany({
        where: { userId: identity.userId, revokedAt: null, ...tokenFilter },
        data: { revokedAt: now, version: { increment: 1 } },
      });
      const devices = await tx.device.updateMany({
        where: { userId: identity.userId, revokedAt: null, ...deviceFilter },
        data: { revokedAt: now, version: { increment: 1 } },
      });
      // Profiles unlocked on the device lock again.
      await tx.profileUnlock.deleteMany({ where: { device: { userId: identity.userId, ...deviceFilter } } });
      return tokens.count + devices.count > 0;
    });
    await this.announceSessionsEnded({ userId: identity.userId, deviceId: identity.deviceId });
    return revoked;
  }

  /**
   * Tells the gateways that sessions ended, so that they close those sessions' WebSockets now. Best effort:
   * if Redis is away, the sockets still close when their access tokens expire (15 minutes at most).
   */
  private async announceSessionsEnded(revocation: SessionRevocation): Promise<void> {
    await publishSessionRevocation(this.bus, revocation).catch((error: Error) =>
      this.logger.warn(`could not announce the end of ${revocation.userId}'s session: ${error.message}`),
    );
  }
}

/** Reuse detected: every token of the family stops working and the device's session ends. */
async function revokeFamily(tx: Prisma.TransactionClient, familyId: string, deviceId: string, now: Date): Promise<void> {
  await tx.refreshToken.updateMany({
    where: { familyId, revokedAt: null },
    data: { revokedAt: now, version: { increment: 1 } },
  });
  await tx.device.updateMany({ where: { id: deviceId, revokedAt: null }, data: { revokedAt: now, version: { increment: 1 } } });
  await tx.profileUnlock.deleteMany({ where: { deviceId } });
}
