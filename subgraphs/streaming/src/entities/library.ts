// A profile's own list and opinions: watchlist entries, star ratings and the reviews written with them.
import { Directive, Field, ID, Int, ObjectType } from "type-graphql";
import { DateTimeScalar, PER_ACCOUNT_HINT, PRIVATE_HINT, RATINGS_HINT } from "@watchflixx/common";
import { ContentRef, ProfileRef } from "./references.ts";

@Directive(PER_ACCOUNT_HINT)
@ObjectType("WatchlistItem")
export class WatchlistItem {
  @Field(() => DateTimeScalar)
  addedAt!: Date;

  @Directive('@provides(fields: "title posterUrl")')
  @Field(() => ContentRef)
  content!: ContentRef;
}

@Directive(PRIVATE_HINT)
@ObjectType("Rating", { description: "A profile's rating of a title (one per profile and title; rating again replaces it)." })
export class Rating {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: "1 to 5 stars." })
  rating!: number;

  @Field(() => String, { nullable: true, description: "The review written with the rating, if any." })
  body!: string | null;

  @Field(() => ContentRef)
  content!: ContentRef;

  @Field(() => ProfileRef)
  profile!: ProfileRef;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;
}

@Directive(RATINGS_HINT)
@ObjectType("Review", { description: "A rating that came with a written review." })
export class Review {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: "1 to 5 stars." })
  rating!: number;

  @Field(() => String)
  body!: string;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;

  @Directive(RATINGS_HINT)
  @Field(() => ProfileRef, { description: "The author; another account's profile shows only id, name and avatarUrl." })
  profile!: ProfileRef;
}
