// rateContent's argument and its checks.
import { Field, ID, InputType, Int } from "type-graphql";
import { BadUserInputError } from "@watchflixx/common";

export const MAX_REVIEW_LENGTH = 2000;

@InputType("RateContentInput")
export class RateContentInput {
  @Field(() => ID)
  profileId!: string;

  @Field(() => ID)
  contentId!: string;

  @Field(() => Int, { description: "1 to 5 stars." })
  rating!: number;

  @Field(() => String, { nullable: true, description: "An optional review (up to 2000 characters). Rating again without one removes the earlier review." })
  body?: string | null;
}

export interface CheckedRating {
  profileId: string;
  contentId: string;
  rating: number;
  /** Trimmed; null when absent or blank. */
  body: string | null;
}

export function checkRateContentInput(input: RateContentInput): CheckedRating {
  if (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5) {
    throw new BadUserInputError("rating must be a whole number from 1 to 5.", "rating");
  }
  const body = input.body?.trim() ?? "";
  if (body.length > MAX_REVIEW_LENGTH) {
    throw new BadUserInputError(`A review may be at most ${MAX_REVIEW_LENGTH} characters.`, "body");
  }
  return { profileId: input.profileId, contentId: input.contentId, rating: input.rating, body: body === "" ? null : body };
}
