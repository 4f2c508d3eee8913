// Fields streaming adds to the content subgraph's Content: ratings, reviews and the profile's progress.
import { Arg, Ctx, Directive, FieldResolver, Float, ID, Int, Resolver, Root } from "type-graphql";
import { PER_ACCOUNT_HINT, RATINGS_HINT } from "@watchflixx/common";
import { ContentRef } from "../entities/references.ts";
import { Review } from "../entities/library.ts";
import { WatchProgress } from "../entities/playback.ts";
import type { ProgressService } from "../services/progress.service.ts";
import type { RatingService } from "../services/rating.service.ts";
import { readerOf, type Context } from "./context.ts";

@Resolver(() => ContentRef)
export class ContentResolver {
  constructor(
    private readonly ratings: RatingService,
    private readonly progressService: ProgressService,
  ) {}

  @Directive(RATINGS_HINT)
  @FieldResolver(() => Float, { nullable: true, description: "Mean of the 1-5 ratings, two decimals; null with no ratings." })
  async averageRating(@Root() content: ContentRef, @Ctx() ctx: Context): Promise<number | null> {
    return (await this.ratings.stats(readerOf(ctx), content.id))?.averageRating ?? null;
  }

  @Directive(RATINGS_HINT)
  @FieldResolver(() => Int)
  async ratingCount(@Root() content: ContentRef, @Ctx() ctx: Context): Promise<number> {
    return (await this.ratings.stats(readerOf(ctx), content.id))?.ratingCount ?? 0;
  }

  @Directive(RATINGS_HINT)
  @FieldResolver(() => [Review], { description: "Newest first." })
  reviews(
    @Root() content: ContentRef,
    @Arg("first", () => Int, { nullable: true, description: "Default 20, at most 100." }) first: number | null | undefined,
    @Ctx() ctx: Context,
  ): Promise<Review[]> {
    return this.ratings.reviews(readerOf(ctx), content.id, first);
  }

  @Directive(PER_ACCOUNT_HINT)
  @FieldResolver(() => WatchProgress, {
    nullable: true,
    description: "Where the profile (one of the caller's) stands in this title; null without profileId or when never played.",
  })
  progress(
    @Root() content: ContentRef,
    @Arg("profileId", () => ID, { nullable: true }) profileId: string | null | undefined,
    @Ctx() ctx: Context,
  ): Promise<WatchProgress | null> {
    return this.progressService.progressOf(readerOf(ctx), content.id, profileId);
  }
}
