// Parental PINs, as every subgraph sees them: a profile with a PIN is locked on a device until it is unlocked
// there (auth's `unlockProfile` writes a `profile_unlocks` row for the profile and the caller's device). The
// unlock lasts until that device signs out (auth deletes the device's rows) or PROFILE_UNLOCK_TTL_MS passes.
// A locked profile may still be read (browse with its limit, its watchlist); it may not play, change its
// watchlist, ratings or progress, or be edited: `requireUnlocked` says so with FORBIDDEN, reason PROFILE_LOCKED.
import { AppError, ErrorCode } from "./errors.ts";

export const PROFILE_UNLOCK_TTL_MS = 12 * 60 * 60 * 1000;

/** Unlocks older than this are over. */
export function unlockCutoff(now: Date = new Date()): Date {
  return new Date(now.getTime() - PROFILE_UNLOCK_TTL_MS);
}

export class ProfileLockedError extends AppError {
  constructor() {
    super(ErrorCode.FORBIDDEN, "This profile is locked with a PIN: unlock it on this device first (unlockProfile).", {
      reason: "PROFILE_LOCKED",
    });
  }
}

export class WrongPinError extends AppError {
  constructor(message = "That PIN is not this profile's.") {
    super(ErrorCode.FORBIDDEN, message, { reason: "WRONG_PIN" });
  }
}

/** Throws PROFILE_LOCKED unless the profile has no PIN or is unlocked on the caller's device. */
export function requireUnlocked<T extends { locked: boolean }>(profile: T): T {
  if (profile.locked) throw new ProfileLockedError();
  return profile;
}
