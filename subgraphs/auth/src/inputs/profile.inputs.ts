// Profile inputs (declarative: checked by services/profile-values.ts, whose plain types they match).
// CreateProfileInput's omitted fields get defaults; UpdateProfileInput keeps "omitted" apart from "null".
import { Field, InputType, Int } from "type-graphql";
import { MaturityRating } from "@watchflixx/common";
import type { NewProfile, ProfileEdit } from "../services/profile-values.ts";

@InputType("CreateProfileInput")
export class CreateProfileInput implements NewProfile {
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
export class UpdateProfileInput implements ProfileEdit {
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
