// TV pairing. The TV asks for a short code (no sign-in), a signed-in client approves it (the Device is created
// for the approver's account), the TV exchanges it for tokens. A code lives 10 minutes and works once:
// completing before approval is FORBIDDEN; an expired, used or unknown code is NOT_FOUND.
import { addressBucket, ForbiddenError, newTypedCode, normaliseTypedCode, NotFoundError, recordEvent, type Identity, type RateLimits } from "@watchflixx/common";
import { DeviceType, Prisma, type PrismaClient } from "@watchflixx/db";
import { DEVICE_COLUMNS, USER_COLUMNS, type DeviceRow } from "./batch-queries.ts";
import { validName } from "./field-checks.ts";
import { storeRefreshToken, type AuthPayloadData, type SessionService } from "./session.service.ts";

export const PAIRING_CODE_TTL_MS = 10 * 60 * 1000;
/** Expired codes are kept this long (for support questions), then swept by later pairings. */
const PAIRING_RETENTION_MS = 24 * 60 * 60 * 1000;
export class PairingService {
  constructor(
    private readonly db: PrismaClient,
    private readonly sessions: SessionService,
    private readonly rateLimits: RateLimits,
  ) {}

  async start(deviceName: string): Promise<{ pairingCode: string; expiresAt: Date }> {
    const name = validName(deviceName, "deviceName", 100);
    const now = new Date();
    await this.db.devicePairing.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - PAIRING_RETENTION_MS) } } });
    const expiresAt = new Date(now.getTime() + PAIRING_CODE_TTL_MS);
    for (let attempt = 0; ; attempt += 1) {
      try {
        const pairing = await this.db.devicePairing.create({
          data: { code: newTypedCode(), deviceName: name, deviceType: DeviceType.TV, expiresAt },
          select: { code: true, expiresAt: true },
        });
        return { pairingCode: pairing.code, expiresAt: pairing.expiresAt };
      } catch (error) {
        // A code still in the table: draw another (vanishingly rare).
        const collision = error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
        if (!collision || attempt >= 4) throw error;
      }
    }
  }

  /** Creates the TV's Device on the approver's account. */
  async approve(identity: Identity, pairingCode: string): Promise<DeviceRow> {
    const code = normaliseTypedCode(pairingCode);
    const now = new Date();
    return this.db.$transaction(async (tx) => {
      const pairing = await tx.devicePairing.findUnique({ where: { code } });
      if (!pairing || pairing.status !== "PENDING" || pairing.expiresAt <= now) throw new NotFoundError("Pairing code");
      const device = await tx.device.create({
        data: { userId: identity.userId, name: pairing.deviceName, type: pairing.deviceType },
        select: DEVICE_COLUMNS,
      });
      const claimed = await tx.devicePairing.updateMany({
        where: { id: pairing.id, status: "PENDING", expiresAt: { gt: now } },
        data: { status: "APPROVED", userId: identity.userId, deviceId: device.id, approvedAt: now, version: { increment: 1 } },
      });
      // Approved by someone else a moment ago: this transaction (and its device) is rolled back.
      if (claimed.count === 0) throw new NotFoundError("Pairing code");
      await recordEvent(tx, {
        eventType: "DevicePaired",
        service: "auth",
        aggregateType: "device",
        aggregateId: device.id,
        payload: { deviceId: device.id, userId: identity.userId, name: device.name, type: device.type },
      });
      return device;
    });
  }

  /**
   * The TV's side: tokens for the approved device, once. Limited before the code is looked up: per address, only codes that do not exist count (the point is given
   * back otherwise, so a TV polling its own code is never refused), and per code every attempt counts.
   */
  async complete(pairingCode: string, clientAddress: string): Promise<AuthPayloadData> {
    const code = normaliseTypedCode(pairingCode);
    const address = addressBucket(clientAddress);
    await this.rateLimits.consume("pairing-address", address, "pairing attempts from this address");
    await this.rateLimits.consume("pairing-code", code, "attempts with this pairing code");
    return this.rateLimits.keepIfNotFound("pairing-address", address, () => this.exchange(code));
  }

  private async exchange(code: string): Promise<AuthPayloadData> {
    const now = new Date();
    const { user, deviceId, refresh } = await this.db.$transaction(async (tx) => {
      const pairing = await tx.devicePairing.findUnique({ where: { code } });
      if (!pairing || pairing.status === "COMPLETED" || pairing.expiresAt <= now) throw new NotFoundError("Pairing code");
      if (pairing.status === "PENDING") throw new ForbiddenError("This pairing code has not been approved yet.");
      // Approved, but the device was removed since: nothing left to sign in as.
      if (!pairing.userId || !pairing.deviceId) throw new NotFoundError("Pairing code");
      const claimed = await tx.devicePairing.updateMany({
        where: { id: pairing.id, status: "APPROVED", expiresAt: { gt: now } },
        data: { status: "COMPLETED", completedAt: now, version: { increment: 1 } },
      });
      if (claimed.count === 0) throw new NotFoundError("Pairing code");
      const user = await tx.user.findUnique({ where: { id: pairing.userId }, select: USER_COLUMNS });
      if (!user) throw new NotFoundError("Pairing code");
      await tx.device.update({ where: { id: pairing.deviceId }, data: { lastSeenAt: now, version: { increment: 1 } } });
      const refresh = await storeRefreshToken(tx, { userId: user.id, deviceId: pairing.deviceId }, now);
      return { user, deviceId: pairing.deviceId, refresh };
    });
    return this.sessions.payload(user, deviceId, refresh);
  }
}
