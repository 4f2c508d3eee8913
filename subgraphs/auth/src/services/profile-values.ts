// What a client sends to create or edit a profile, as plain data, and its validation. A new profile gets
// defaults; an edit keeps "omitted" (undefined, leave as it is) apart from "null" (clear it), which only
// avatarUrl and pin accept. The GraphQL inputs (src/inputs/profile.inputs.ts) match these types.
import { BadUserInputError, KIDS_MATURITY_LIMIT, MaturityRating, maturityRank } from "@watchflixx/common";
import { validAvatarUrl, validName, validPin } from "./field-checks.ts";

export const MAX_PROFILE_NAME_LENGTH = 50;

export interface NewProfile {
  name: string;
  isKids?: boolean | null;
  maturityRating?: MaturityRating | null;
  avatarUrl?: string | null;
  pin?: string | null;
}

export interface ProfileEdit {
  expectedVersion: number;
  name?: string | null;
  maturityRating?: MaturityRating | null;
  avatarUrl?: string | null;
  pin?: string | null;
  currentPin?: string | null;
}

/** A kids profile may not be given a limit above PG. */
export function checkKidsLimit(isKids: boolean, rating: MaturityRating): void {
  if (isKids && maturityRank(rating) > maturityRank(KIDS_MATURITY_LIMIT)) {
    throw new BadUserInputError(`A kids profile is limited to ${KIDS_MATURITY_LIMIT} or below.`, "maturityRating");
  }
}

export interface ValidCreateProfile {
  name: string;
  isKids: boolean;
  maturityRating: MaturityRating;
  avatarUrl: string | null;
  /** The PIN itself; the service hashes it. */
  pin: string | null;
}

export function validateCreateProfile(profile: NewProfile): ValidCreateProfile {
  const isKids = profile.isKids ?? false;
  const maturityRating = profile.maturityRating ?? (isKids ? KIDS_MATURITY_LIMIT : MaturityRating.NC17);
  checkKidsLimit(isKids, maturityRating);
  return {
    name: validName(profile.name, "name", MAX_PROFILE_NAME_LENGTH),
    isKids,
    maturityRating,
    avatarUrl: profile.avatarUrl == null ? null : validAvatarUrl(profile.avatarUrl),
    pin: profile.pin == null ? null : validPin(profile.pin),
  };
}

export interface ValidUpdateProfile {
  expectedVersion: number;
  name?: string;
  maturityRating?: MaturityRating;
  /** undefined: unchanged; null: cleared. */
  avatarUrl?: string | null;
  pin?: string | null;
  /** As given; checked against the profile's PIN only when the change needs it. */
  currentPin: string | null;
}

export function validateUpdateProfile(edit: ProfileEdit): ValidUpdateProfile {
  if (!Number.isInteger(edit.expectedVersion) || edit.expectedVersion < 1) {
    throw new BadUserInputError("expectedVersion must be a positive integer.", "expectedVersion");
  }
  const update: ValidUpdateProfile = { expectedVersion: edit.expectedVersion, currentPin: edit.currentPin ?? null };
  if (edit.name === null) throw new BadUserInputError("name cannot be cleared.", "name");
  if (edit.name !== undefined) update.name = validName(edit.name, "name", MAX_PROFILE_NAME_LENGTH);
  if (edit.maturityRating === null) throw new BadUserInputError("maturityRating cannot be cleared.", "maturityRating");
  if (edit.maturityRating !== undefined) update.maturityRating = edit.maturityRating;
  if (edit.avatarUrl !== undefined) update.avatarUrl = edit.avatarUrl === null ? null : validAvatarUrl(edit.avatarUrl);
  if (edit.pin !== undefined) update.pin = edit.pin === null ? null : validPin(edit.pin);
  return update;
}
