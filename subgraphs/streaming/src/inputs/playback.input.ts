// startPlayback / reportProgress arguments and their checks.
import { Field, ID, InputType, Int } from "type-graphql";
import { BadUserInputError } from "@watchflixx/common";
import { PlaybackEvent } from "../entities/playback.ts";

@InputType("StartPlaybackInput")
export class StartPlaybackInput {
  @Field(() => ID)
  profileId!: string;

  @Field(() => ID)
  contentId!: string;

  @Field(() => ID, { nullable: true, description: "For a series, the episode to play; default: the episode to resume, else S1E1. Not allowed for a film." })
  episodeId?: string | null;

  @Field(() => ID, { nullable: true, description: "One of the caller's devices; default: the device the access token was issued to." })
  deviceId?: string | null;
}

@InputType("ReportProgressInput")
export class ReportProgressInput {
  @Field(() => ID)
  sessionId!: string;

  @Field(() => Int)
  positionSeconds!: number;

  @Field(() => PlaybackEvent, { nullable: true, description: "Default HEARTBEAT." })
  event?: PlaybackEvent | null;
}

export function checkReportProgressInput(input: ReportProgressInput): { sessionId: string; positionSeconds: number; event: PlaybackEvent } {
  if (!Number.isInteger(input.positionSeconds) || input.positionSeconds < 0) {
    throw new BadUserInputError("positionSeconds must be 0 or more.", "positionSeconds");
  }
  return { sessionId: input.sessionId, positionSeconds: input.positionSeconds, event: input.event ?? PlaybackEvent.HEARTBEAT };
}
