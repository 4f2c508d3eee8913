// Profile inputs. CreateProfileInput fills in defaults; UpdateProfileInput keeps "omitted" (undefined, leave as
// it is) apart from "null" (clear it), which only avatarUrl and pin accept.
import { Field, InputType, Int } from "type-graphql";
import { BadUserInputError, KIDS_MATURITY_LIMIT, MaturityRating, maturityRank } from "@watchflixx/common";
import { validAvatarUrl, validName, validPin } from "./validation.ts";

export const MAX_PROFILE_NAME_LENGTH = 50;

@InputType("CreateProfileInput")
export class CreateProfileInput {
  @Field(() => String)
  name!: string;

  @Field(() => Boolean, { nullable: true, description: "Default false. A kids profile is limited to PG." })
  isKids?: boolean | null;

  @Field(() => MaturityRating, {
    nullable: true,
    description: "Default NC17 (PG for a kids profile). Above PG on a kids profile is BAD_USER_INPUT.",
  })
  maturityRating?: MaturityRating | null;

  @Field(() => String, { nullable: true })
  avatarUrl?: string | null;

  @Field(() => String, { nullable: true, description: "Exactly 4 digits; stored hashed." })
  pin?: string | null;
}

@InputType("UpdateProfileInput")
export class UpdateProfileInput {
  @Field(() => Int, { description: "The version last read; a stale one fails with CONFLICT and changes nothing." })
  expectedVersion!: number;

  @Field(() => String, { nullable: true, description: "Omit to keep; null is refused." })
  name?: string | null;

  @Field(() => MaturityRating, { nullable: true, description: "Omit to keep; null is refused." })
  maturityRating?: MaturityRating | null;

  @Field(() => String, { nullable: true, description: "Omit to keep; null clears." })
  avatarUrl?: string | null;

  @Field(() => String, { nullable: true, description: "Omit to keep; null clears; otherwise exactly 4 digits." })
  pin?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The profile's current PIN: needed to change or remove the PIN, or to raise maturityRating (FORBIDDEN, reason WRONG_PIN, otherwise).",
  })
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

export function validateCreateProfile(input: CreateProfileInput): ValidCreateProfile {
  const isKids = input.isKids ?? false;
  const maturityRating = input.maturityRating ?? (isKids ? KIDS_MATURITY_LIMIT : MaturityRating.NC17);
  checkKidsLimit(isKids, maturityRating);
  return {
    name: validName(input.name, "name", MAX_PROFILE_NAME_LENGTH),
    isKids,
    maturityRating,
    avatarUrl: input.avatarUrl == null ? null : validAvatarUrl(input.avatarUrl),
    pin: input.pin == null ? null : validPin(input.pin),
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

export function validateUpdateProfile(input: UpdateProfileInput): ValidUpdateProfile {
  if (!Number.isInteger(input.expectedVersion) || input.expectedVersion < 1) {
    throw new BadUserInputError("expectedVersion must be a positive integer.", "expectedVersion");
  }
  const update: ValidUpdateProfile = { expectedVersion: input.expectedVersion, currentPin: input.currentPin ?? null };
  if (input.name === null) throw new BadUserInputError("name cannot be cleared.", "name");
  if (input.name !== undefined) update.name = validName(input.name, "name", MAX_PROFILE_NAME_LENGTH);
  if (input.maturityRating === null) throw new BadUserInputError("maturityRating cannot be cleared.", "maturityRating");
  if (input.maturityRating !== undefined) update.maturityRating = input.maturityRating;
  if (input.avatarUrl !== undefined) update.avatarUrl = input.avatarUrl === null ? null : validAvatarUrl(input.avatarUrl);
  if (input.pin !== undefined) update.pin = input.pin === null ? null : validPin(input.pin);
  return update;
}
