import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import { PlaybackProgress, PlaybackSession, WatchProgress } from "../entities/playback.ts";
import { ReportProgressInput, StartPlaybackInput } from "../inputs/playback.input.ts";
import type { PlaybackService } from "../services/playback.service.ts";
import type { ProgressService } from "../services/progress.service.ts";
import { readerOf, type Context } from "./context.ts";

@Resolver()
export class PlaybackResolver {
  constructor(
    private readonly playback: PlaybackService,
    private readonly progress: ProgressService,
  ) {}

  @Mutation(() => PlaybackSession, {
    description:
      "Starts playback for one of the caller's profiles. PAYMENT_REQUIRED without an ACTIVE/TRIALING subscription or a live rental of the title; FORBIDDEN above the profile's maturity limit (extensions.reason MATURITY_LIMIT) or beyond the plan's concurrent streams (STREAM_LIMIT).",
  })
  startPlayback(@Arg("input", () => StartPlaybackInput) input: StartPlaybackInput, @Ctx() ctx: Context): Promise<PlaybackSession> {
    return this.playback.start(readerOf(ctx), input);
  }

  @Mutation(() => PlaybackProgress, {
    description: "Saves the position of a playback session (heartbeat, pause, seek, stop). Repeating a report is harmless.",
  })
  reportProgress(@Arg("input", () => ReportProgressInput) input: ReportProgressInput, @Ctx() ctx: Context): Promise<PlaybackProgress> {
    return this.playback.report(readerOf(ctx), input);
  }

  @Query(() => [WatchProgress], {
    description: "Titles the profile has started and not finished (the next episode after a finished one), most recent first, within the profile's maturity limit.",
  })
  continueWatching(
    @Arg("profileId", () => ID) profileId: string,
    @Arg("first", () => Int, { nullable: true, description: "Default 20, at most 100." }) first: number | null | undefined,
    @Ctx() ctx: Context,
  ): Promise<WatchProgress[]> {
    return this.progress.continueWatching(readerOf(ctx), profileId, first);
  }
}
