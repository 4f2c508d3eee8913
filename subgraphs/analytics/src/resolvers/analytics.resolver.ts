// Thin resolvers: arguments in, service call, entities out.
import { Arg, Ctx, ID, Int, Query, Resolver } from "type-graphql";
import type { SubgraphContext } from "@watchflixx/common";
import { ContentAnalytics, TrendingItem, ViewingStats } from "../entities/analytics.ts";
import { contentAnalytics, viewingStats } from "../services/analytics.service.ts";
import { trending } from "../services/trending.service.ts";

@Resolver()
export class AnalyticsResolver {
  @Query(() => [TrendingItem], {
    description:
      "Titles ranked by views over the last 7 days. With profileId (one of the caller's profiles, NOT_FOUND otherwise) " +
      "only titles within its maturity limit are ranked. first: default 20, at most 100.",
  })
  trending(
    @Arg("first", () => Int, { nullable: true }) first: number | null | undefined,
    @Arg("profileId", () => ID, { nullable: true }) profileId: string | null | undefined,
    @Ctx() context: SubgraphContext,
  ): Promise<TrendingItem[]> {
    return trending(context, first, profileId);
  }

  @Query(() => ContentAnalytics, { nullable: true, description: "Staff only (FORBIDDEN otherwise); null plus NOT_FOUND for an unknown title." })
  contentAnalytics(@Arg("contentId", () => ID) contentId: string, @Ctx() context: SubgraphContext): Promise<ContentAnalytics> {
    return contentAnalytics(context, contentId);
  }

  @Query(() => ViewingStats, { description: "For one of the caller's own profiles (NOT_FOUND otherwise)." })
  viewingStats(@Arg("profileId", () => ID) profileId: string, @Ctx() context: SubgraphContext): Promise<ViewingStats> {
    return viewingStats(context, profileId);
  }
}
