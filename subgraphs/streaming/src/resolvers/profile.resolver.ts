// The field streaming adds to the auth subgraph's Profile.
import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { ProfileRef } from "../entities/references.ts";
import { WatchlistItem } from "../entities/library.ts";
import type { WatchlistService } from "../services/watchlist.service.ts";
import { readerOf, type Context } from "./context.ts";

@Resolver(() => ProfileRef)
export class ProfileResolver {
  constructor(private readonly watchlists: WatchlistService) {}

  @FieldResolver(() => [WatchlistItem], {
    nullable: true,
    description: "Newest first, within the profile's maturity limit. Only for the caller's own profiles: null with NOT_FOUND otherwise.",
  })
  watchlist(@Root() profile: ProfileRef, @Ctx() ctx: Context): Promise<WatchlistItem[]> {
    return this.watchlists.of(readerOf(ctx), profile.id);
  }
}
