// Profiles: an account's own only. A profile of another account is answered exactly like an unknown id.
// At most 5 per account (checked under a lock on the account row, so concurrent creates cannot overshoot);
// updates are guarded by the version the client read (optimistic locking).
//
// Parental PINs (see @watchflixx/common's profile-lock.ts): a profile with a PIN is edited or deleted only where
// it is unlocked (PROFILE_LOCKED otherwise); changing or removing the PIN, or raising the maturity limit, takes
// the current PIN besides (WRONG_PIN). `unlock` checks a PIN (attempts counted by PinGuard) and records the
// unlock for the caller's device.
//
// The profile-access cache (@watchflixx/common's profile-access.ts) is written through here: after each committed
// create, update or delete, the new facts (or a tombstone), so the other subgraphs' next read sees the change.
import { hashPassword, verifyPassword, Prisma, type PrismaClient } from "@watchflixx/db";
import {
  AppError,
  ConflictError,
  ErrorCode,
  maturityRank,
  NotFoundError,
  UnauthenticatedError,
  WrongPinError,
  recordEvent,
  requireUnlocked,
  profileAccessFacts,
  resolveViewerProfile,
  translateDatabaseError,
  type Identity,
  type Logger,
  type ProfileAccessCache,
} from "@watchflixx/common";
import { PROFILE_COLUMNS, type ProfileRow } from "./batch-queries.ts";
import { validPin } from "./field-checks.ts";
import type { PinGuard } from "./pin-guard.ts";
import { checkKidsLimit, validateCreateProfile, validateUpdateProfile, type NewProfile, type ProfileEdit } from "./profile-values.ts";

export const MAX_PROFILES_PER_ACCOUNT = 5;

function duplicateNameOr(error: unknown): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
    throw new ConflictError("This account already has a profile with that name.");
  }
  return translateDatabaseError(error, "Profile");
}

export class ProfileService {
  constructor(
    private readonly db: PrismaClient,
    private readonly pins: PinGuard,
    private readonly access: ProfileAccessCache,
    private readonly logger: Logger,
  ) {}

  /**
   * After the commit: the profile's new facts for the other subgraphs (never before: a reader must not see what
   * may still roll back). Redis failing here leaves the old entry until its TTL (profile-access.ts); the change
   * itself is committed, so the mutation still succeeds.
   */
  private async published(profile: ProfileRow): Promise<ProfileRow> {
    const written = await this.access.offer(profile.id, profileAccessFacts(profile));
    if (!written) this.logger.warn(`profile-access: could not write profile ${profile.id} (version ${profile.version}); other services may see its previous version until the entry expires`);
    return profile;
  }

  /** The caller's profile, or NOT_FOUND (unknown, or another account's). */
  async own(identity: Identity, id: string): Promise<ProfileRow> {
    const profile = await this.db.profile.findFirst({ where: { id, userId: identity.userId }, select: PROFILE_COLUMNS });
    if (!profile) throw new NotFoundError("Profile");
    return profile;
  }

  async create(identity: Identity, newProfile: NewProfile): Promise<ProfileRow> {
    const valid = validateCreateProfile(newProfile);
    const pinHash = valid.pin === null ? null : await hashPassword(valid.pin);
    try {
      const created = await this.db.$transaction(async (tx) => {
        // Serialises profile creation per account, so that the count below cannot be raced past.
        const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM users WHERE id = ${identity.userId} FOR UPDATE`;
        if (locked.length === 0) throw new UnauthenticatedError("This account no longer exists.");
        const count = await tx.profile.count({ where: { userId: identity.userId } });
        if (count >= MAX_PROFILES_PER_ACCOUNT) {
          throw new AppError(ErrorCode.FORBIDDEN, `An account can have at most ${MAX_PROFILES_PER_ACCOUNT} profiles.`, {
            limit: MAX_PROFILES_PER_ACCOUNT,
          });
        }
        const profile = await tx.profile.create({
          data: {
            userId: identity.userId,
            name: valid.name,
            isKids: valid.isKids,
            maturityRating: valid.maturityRating,
            avatarUrl: valid.avatarUrl,
            pinHash,
            settings: { create: { autoplayNext: !valid.isKids } },
          },
          select: PROFILE_COLUMNS,
        });
        await recordEvent(tx, {
          eventType: "ProfileCreated",
          service: "auth",
          aggregateType: "profile",
          aggregateId: profile.id,
          payload: {
            profileId: profile.id,
            userId: profile.userId,
            name: profile.name,
            isKids: profile.isKids,
            maturityRating: profile.maturityRating,
          },
        });
        return profile;
      });
      return await this.published(created);
    } catch (error) {
      if (error instanceof AppError) throw error;
      return duplicateNameOr(error);
    }
  }

  /**
   * Applies the fields given (omitted: unchanged; null: cleared, for avatarUrl and pin) if the profile is still
   * at `expectedVersion`; CONFLICT and no change otherwise.
   */
  async update(identity: Identity, id: string, edit: ProfileEdit): Promise<ProfileRow> {
    const valid = validateUpdateProfile(edit);
    requireUnlocked(await resolveViewerProfile(this.db, identity, id));
    const current = await this.own(identity, id);
    if (valid.maturityRating !== undefined) checkKidsLimit(current.isKids, valid.maturityRating);
    const raisesLimit = valid.maturityRating !== undefined && maturityRank(valid.maturityRating) > maturityRank(current.maturityRating);
    const pinChanges = valid.pin !== undefined && current.pinHash !== null;
    if (current.pinHash !== null && (raisesLimit || pinChanges)) {
      await this.requirePin(current.id, current.pinHash, valid.currentPin, "currentPin");
    }
    const data: Prisma.ProfileUpdateManyMutationInput = { version: { increment: 1 } };
    const changed: string[] = [];
    if (valid.name !== undefined) {
      data.name = valid.name;
      changed.push("name");
    }
    if (valid.maturityRating !== undefined) {
      data.maturityRating = valid.maturityRating;
      changed.push("maturityRating");
    }
    if (valid.avatarUrl !== undefined) {
      data.avatarUrl = valid.avatarUrl;
      changed.push("avatarUrl");
    }
    if (valid.pin !== undefined) {
      data.pinHash = valid.pin === null ? null : await hashPassword(valid.pin);
      changed.push("pin");
    }
    try {
      const updated = await this.db.$transaction(async (tx) => {
        const result = await tx.profile.updateMany({
          where: { id, userId: identity.userId, version: valid.expectedVersion },
          data,
        });
        if (result.count === 0) {
          const stillOurs = await tx.profile.findFirst({ where: { id, userId: identity.userId }, select: { version: true } });
          if (!stillOurs) throw new NotFoundError("Profile");
          throw new AppError(
            ErrorCode.CONFLICT,
            `The profile changed since you read it (version ${stillOurs.version}, not ${valid.expectedVersion}). Reload and try again.`,
            { currentVersion: stillOurs.version },
          );
        }
        const profile = await tx.profile.findUniqueOrThrow({ where: { id }, select: PROFILE_COLUMNS });
        // A new or removed PIN: unlocks made with the old one on other devices end.
        if (valid.pin !== undefined) {
          await tx.profileUnlock.deleteMany({ where: { profileId: id, ...(identity.deviceId ? { deviceId: { not: identity.deviceId } } : {}) } });
        }
        await recordEvent(tx, {
          eventType: "ProfileUpdated",
          service: "auth",
          aggregateType: "profile",
          aggregateId: profile.id,
          payload: {
            profileId: profile.id,
            userId: profile.userId,
            version: profile.version,
            changed,
            name: profile.name,
            maturityRating: profile.maturityRating,
          },
        });
        return profile;
      });
      return await this.published(updated);
    } catch (error) {
      if (error instanceof AppError) throw error;
      return duplicateNameOr(error);
    }
  }

  /** True when the caller's profile was deleted; false when there was none (unknown, gone, or not the caller's). */
  async delete(identity: Identity, id: string): Promise<boolean> {
    const viewer = await resolveViewerProfile(this.db, identity, id).catch((error: unknown) => {
      if (error instanceof NotFoundError) return null;
      throw error;
    });
    if (viewer) requireUnlocked(viewer);
    const deleted = await this.db.$transaction(async (tx) => {
      const result = await tx.profile.deleteMany({ where: { id, userId: identity.userId } });
      if (result.count === 0) return false;
      await recordEvent(tx, {
        eventType: "ProfileDeleted",
        service: "auth",
        aggregateType: "profile",
        aggregateId: id,
        payload: { profileId: id, userId: identity.userId },
      });
      return true;
    });
    // A tombstone: a reader that read the row before the delete cannot bring it back.
    if (deleted && !(await this.access.markGone(id))) {
      this.logger.warn(`profile-access: could not mark profile ${id} deleted; other services may still see it until its entry expires`);
    }
    return deleted;
  }

  /**
   * Unlocks the caller's profile on the caller's device (true; a profile without a PIN has nothing to unlock).
   * NOT_FOUND not the caller's; BAD_USER_INPUT not 4 digits; FORBIDDEN (WRONG_PIN) wrong; RATE_LIMITED after
   * too many wrong ones; UNAUTHENTICATED when the token's device has signed out.
   */
  async unlock(identity: Identity, id: string, pin: string): Promise<boolean> {
    const profile = await this.own(identity, id);
    validPin(pin);
    if (profile.pinHash === null) return true;
    if (!identity.deviceId) {
      throw new AppError(ErrorCode.FORBIDDEN, "A profile is unlocked on a device: sign in on one first.", { reason: "DEVICE_REQUIRED" });
    }
    const device = await this.db.device.findFirst({ where: { id: identity.deviceId, userId: identity.userId, revokedAt: null }, select: { id: true } });
    if (!device) throw new UnauthenticatedError("This device has signed out. Sign in again.");
    await this.requirePin(profile.id, profile.pinHash, pin, "pin");
    const now = new Date();
    await this.db.profileUnlock.upsert({
      where: { profileId_deviceId: { profileId: profile.id, deviceId: device.id } },
      create: { profileId: profile.id, deviceId: device.id, unlockedAt: now },
      update: { unlockedAt: now, version: { increment: 1 }, syncedAt: now },
    });
    return true;
  }

  /** One counted attempt at the profile's PIN: WRONG_PIN when missing or wrong, RATE_LIMITED beyond the limit. */
  private async requirePin(profileId: string, pinHash: string, pin: string | null, field: string): Promise<void> {
    if (pin === null) throw new WrongPinError(`This change needs the profile's current PIN (${field}).`);
    const given = validPin(pin, field);
    const right = await this.pins.attempt(profileId, () => verifyPassword(given, pinHash));
    if (!right) throw new WrongPinError();
  }
}
