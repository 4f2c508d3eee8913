import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import { requireIdentity } from "@watchflixx/common";
import { PlaybackProgress, PlaybackSession, WatchProgress } from "../entities/playback.ts";
import { checkReportProgressInput, ReportProgressInput, StartPlaybackInput } from "../inputs/playback.input.ts";
import type { StreamingContext } from "../loaders.ts";
import { reportProgress, startPlayback } from "../services/playback.service.ts";
import { continueWatching } from "../services/progress.service.ts";

@Resolver()
export class PlaybackResolver {
  @Mutation(() => PlaybackSession, {
    description:
      "Starts playback for one of the caller's profiles. PAYMENT_REQUIRED without an ACTIVE/TRIALING subscription or a live rental of the title; FORBIDDEN above the profile's maturity limit (extensions.reason MATURITY_LIMIT) or beyond the plan's concurrent streams (STREAM_LIMIT).",
  })
  async startPlayback(@Arg("input", () => StartPlaybackInput) input: StartPlaybackInput, @Ctx() context: StreamingContext): Promise<PlaybackSession> {
    const identity = requireIdentity(context);
    await context.rateLimits.consume("playback-start-profile", `${identity.userId}\n${input.profileId}`, "playback starts");
    return startPlayback(context, input);
  }

  @Mutation(() => PlaybackProgress, {
    description: "Saves the position of a playback session (heartbeat, pause, seek, stop). Repeating a report is harmless.",
  })
  async reportProgress(@Arg("input", () => ReportProgressInput) input: ReportProgressInput, @Ctx() context: StreamingContext): Promise<PlaybackProgress> {
    const identity = requireIdentity(context);
    await context.rateLimits.consume("playback-progress-account", identity.userId, "playback reports");
    return reportProgress(context, checkReportProgressInput(input));
  }

  @Query(() => [WatchProgress], {
    description: "Titles the profile has started and not finished (the next episode after a finished one), most recent first, within the profile's maturity limit.",
  })
  continueWatching(
    @Arg("profileId", () => ID) profileId: string,
    @Arg("first", () => Int, { nullable: true, description: "Default 20, at most 100." }) first: number | null | undefined,
    @Ctx() context: StreamingContext,
  ): Promise<WatchProgress[]> {
    return continueWatching(context, profileId, first);
  }
}
