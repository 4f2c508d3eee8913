// The field streaming adds to the auth subgraph's Profile.
import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { ProfileRef } from "../entities/references.ts";
import { WatchlistItem } from "../entities/library.ts";
import type { StreamingContext } from "../loaders.ts";
import { watchlistOf } from "../services/watchlist.service.ts";

@Resolver(() => ProfileRef)
export class ProfileResolver {
  @FieldResolver(() => [WatchlistItem], {
    nullable: true,
    description: "Newest first, within the profile's maturity limit. Only for the caller's own profiles: null with NOT_FOUND otherwise.",
  })
  watchlist(@Root() profile: ProfileRef, @Ctx() context: StreamingContext): Promise<WatchlistItem[]> {
    return watchlistOf(context, profile.id);
  }
}
