import { Arg, Ctx, ID, Mutation, Resolver } from "type-graphql";
import { Rating, WatchlistItem } from "../entities/library.ts";
import { RateContentInput } from "../inputs/rating.input.ts";
import type { RatingService } from "../services/rating.service.ts";
import type { WatchlistService } from "../services/watchlist.service.ts";
import { readerOf, type Context } from "./context.ts";

@Resolver()
export class LibraryResolver {
  constructor(
    private readonly watchlist: WatchlistService,
    private readonly ratings: RatingService,
  ) {}

  @Mutation(() => WatchlistItem, { description: "Idempotent: adding a title already on the list returns the existing entry." })
  addToWatchlist(
    @Arg("profileId", () => ID) profileId: string,
    @Arg("contentId", () => ID) contentId: string,
    @Ctx() ctx: Context,
  ): Promise<WatchlistItem> {
    return this.watchlist.add(readerOf(ctx), profileId, contentId);
  }

  @Mutation(() => Boolean, { description: "True when the title was removed, false when it was not on the list." })
  removeFromWatchlist(
    @Arg("profileId", () => ID) profileId: string,
    @Arg("contentId", () => ID) contentId: string,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    return this.watchlist.remove(readerOf(ctx), profileId, contentId);
  }

  @Mutation(() => Rating, { description: "One rating per profile and title: rating again replaces the rating and its review." })
  rateContent(@Arg("input", () => RateContentInput) input: RateContentInput, @Ctx() ctx: Context): Promise<Rating> {
    return this.ratings.rate(readerOf(ctx), input);
  }
}
