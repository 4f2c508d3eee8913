// What analytics answers: running totals per title, the trending ranking and a profile's viewing stats.
import { Directive, Field, Float, Int, ObjectType } from "type-graphql";
import { cacheControl, DateTimeScalar, PRIVATE_HINT } from "@watchflixx/common";
import { ContentRef } from "./references.ts";

@Directive(PRIVATE_HINT)
@ObjectType("ContentAnalytics", { description: "Running totals for one title, kept current as playback events arrive (staff only)." })
export class ContentAnalytics {
  @Field(() => ContentRef)
  content!: ContentRef;

  @Field(() => Int, { description: "Viewing sessions started." })
  views!: number;

  @Field(() => Int, { description: "Distinct profiles that started a viewing." })
  uniqueViewers!: number;

  @Field(() => Int, { description: "Viewing sessions watched to the end." })
  completions!: number;

  @Field(() => Float, { description: "completions / views, from 0 to 1." })
  completionRate!: number;

  @Field(() => Float, { description: "Watch time over all sessions, in seconds." })
  totalWatchSeconds!: number;

  @Field(() => Float, { description: "Watch time per view, in seconds." })
  averageWatchSeconds!: number;

  @Field(() => DateTimeScalar, { nullable: true, description: "When the totals last changed; null before the first view." })
  updatedAt!: Date | null;
}

// Views move trending all the time and no event says so: the short TTL alone bounds it.
@Directive(cacheControl({ maxAge: 30 }))
@ObjectType("TrendingItem")
export class TrendingItem {
  @Field(() => Int, { description: "1 for the most viewed title." })
  rank!: number;

  @Field(() => Int, { description: "Views over the last 7 days (UTC days, today included)." })
  views!: number;

  @Directive('@provides(fields: "title posterUrl")')
  @Field(() => ContentRef)
  content!: ContentRef;
}

@Directive(PRIVATE_HINT)
@ObjectType("ViewingStats", { description: "One profile's viewing, from its playback sessions." })
export class ViewingStats {
  @Field(() => Int)
  totalWatchSeconds!: number;

  @Field(() => Int, { description: "Distinct titles the profile started." })
  titlesStarted!: number;

  @Field(() => Int, { description: "Distinct titles with a viewing watched to the end (for a series: an episode)." })
  titlesCompleted!: number;

  @Field(() => [String], { description: "Genres of the titles watched, most watch time first (at most 5)." })
  topGenres!: string[];
}
