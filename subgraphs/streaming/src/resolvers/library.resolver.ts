import { Arg, Ctx, ID, Mutation, Resolver } from "type-graphql";
import { Rating, WatchlistItem } from "../entities/library.ts";
import { checkRateContentInput, RateContentInput } from "../inputs/rating.input.ts";
import type { StreamingContext } from "../loaders.ts";
import { rateContent } from "../services/rating.service.ts";
import { addToWatchlist, removeFromWatchlist } from "../services/watchlist.service.ts";

@Resolver()
export class LibraryResolver {
  @Mutation(() => WatchlistItem, { description: "Idempotent: adding a title already on the list returns the existing entry." })
  addToWatchlist(
    @Arg("profileId", () => ID) profileId: string,
    @Arg("contentId", () => ID) contentId: string,
    @Ctx() context: StreamingContext,
  ): Promise<WatchlistItem> {
    return addToWatchlist(context, profileId, contentId);
  }

  @Mutation(() => Boolean, { description: "True when the title was removed, false when it was not on the list." })
  removeFromWatchlist(
    @Arg("profileId", () => ID) profileId: string,
    @Arg("contentId", () => ID) contentId: string,
    @Ctx() context: StreamingContext,
  ): Promise<boolean> {
    return removeFromWatchlist(context, profileId, contentId);
  }

  @Mutation(() => Rating, { description: "One rating per profile and title: rating again replaces the rating and its review." })
  rateContent(@Arg("input", () => RateContentInput) input: RateContentInput, @Ctx() context: StreamingContext): Promise<Rating> {
    return rateContent(context, checkRateContentInput(input));
  }
}
