// Thin resolvers: arguments in, one service call, entities out.
import { Arg, Ctx, ID, Int, Query, Resolver } from "type-graphql";
import type { SubgraphContext } from "@watchflixx/common";
import { ContentAnalytics, TrendingItem, ViewingStats } from "../entities/analytics.ts";
import type { AnalyticsService } from "../services/analytics.service.ts";
import type { TrendingService } from "../services/trending.service.ts";

@Resolver()
export class AnalyticsResolver {
  constructor(
    private readonly analytics: AnalyticsService,
    private readonly trendingService: TrendingService,
  ) {}

  @Query(() => [TrendingItem], {
    description:
      "Titles ranked by views over the last 7 days. With profileId (one of the caller's profiles, NOT_FOUND otherwise) " +
      "only titles within its maturity limit are ranked. first: default 20, at most 100.",
  })
  trending(
    @Arg("first", () => Int, { nullable: true }) first: number | null | undefined,
    @Arg("profileId", () => ID, { nullable: true }) profileId: string | null | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TrendingItem[]> {
    return this.trendingService.trending(ctx.identity, first, profileId);
  }

  @Query(() => ContentAnalytics, { nullable: true, description: "Staff only (FORBIDDEN otherwise); null plus NOT_FOUND for an unknown title." })
  contentAnalytics(@Arg("contentId", () => ID) contentId: string, @Ctx() ctx: SubgraphContext): Promise<ContentAnalytics> {
    return this.analytics.contentAnalytics(ctx.identity, contentId);
  }

  @Query(() => ViewingStats, { description: "For one of the caller's own profiles (NOT_FOUND otherwise)." })
  viewingStats(@Arg("profileId", () => ID) profileId: string, @Ctx() ctx: SubgraphContext): Promise<ViewingStats> {
    return this.analytics.viewingStats(ctx.identity, profileId);
  }
}
