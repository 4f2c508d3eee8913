// Fields streaming adds to the content subgraph's Content: ratings, reviews and the profile's progress.
import { Arg, Ctx, Directive, FieldResolver, Float, ID, Int, Resolver, Root } from "type-graphql";
import { pageSize, PER_ACCOUNT_HINT, RATINGS_HINT } from "@watchflixx/common";
import { ContentRef } from "../entities/references.ts";
import { Review } from "../entities/library.ts";
import { WatchProgress } from "../entities/playback.ts";
import type { StreamingContext } from "../loaders.ts";
import { toReview } from "../services/rating.service.ts";
import { progressOf } from "../services/progress.service.ts";

@Resolver(() => ContentRef)
export class ContentResolver {
  @Directive(RATINGS_HINT)
  @FieldResolver(() => Float, { nullable: true, description: "Mean of the 1-5 ratings, two decimals; null with no ratings." })
  async averageRating(@Root() content: ContentRef, @Ctx() context: StreamingContext): Promise<number | null> {
    return (await context.loaders.ratings.load({ contentId: content.id, first: null })).stats?.averageRating ?? null;
  }

  @Directive(RATINGS_HINT)
  @FieldResolver(() => Int)
  async ratingCount(@Root() content: ContentRef, @Ctx() context: StreamingContext): Promise<number> {
    return (await context.loaders.ratings.load({ contentId: content.id, first: null })).stats?.ratingCount ?? 0;
  }

  @Directive(RATINGS_HINT)
  @FieldResolver(() => [Review], { description: "Newest first." })
  async reviews(
    @Root() content: ContentRef,
    @Arg("first", () => Int, { nullable: true, description: "Default 20, at most 100." }) first: number | null | undefined,
    @Ctx() context: StreamingContext,
  ): Promise<Review[]> {
    const { reviews } = await context.loaders.ratings.load({ contentId: content.id, first: pageSize(first) });
    return reviews.map(toReview);
  }

  @Directive(PER_ACCOUNT_HINT)
  @FieldResolver(() => WatchProgress, {
    nullable: true,
    description: "Where the profile (one of the caller's) stands in this title; null without profileId or when never played.",
  })
  progress(
    @Root() content: ContentRef,
    @Arg("profileId", () => ID, { nullable: true }) profileId: string | null | undefined,
    @Ctx() context: StreamingContext,
  ): Promise<WatchProgress | null> {
    return progressOf(context, content.id, profileId);
  }
}
