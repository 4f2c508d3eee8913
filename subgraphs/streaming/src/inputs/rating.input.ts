// rateContent's argument (checked by the rating service).
import { Field, ID, InputType, Int } from "type-graphql";
import type { RatingRequest } from "../services/rating.service.ts";

@InputType("RateContentInput")
export class RateContentInput implements RatingRequest {
  @Field(() => ID)
  profileId!: string;

  @Field(() => ID)
  contentId!: string;

  @Field(() => Int, { description: "1 to 5 stars." })
  rating!: number;

  @Field(() => String, { nullable: true, description: "An optional review (up to 2000 characters). Rating again without one removes the earlier review." })
  body?: string | null;
}
