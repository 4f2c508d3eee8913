// startPlayback / reportProgress arguments (checked by the playback service).
import { Field, ID, InputType, Int } from "type-graphql";
import { PlaybackEvent } from "../entities/playback.ts";
import type { ProgressReport, StartPlaybackRequest } from "../services/playback.service.ts";

@InputType("StartPlaybackInput")
export class StartPlaybackInput implements StartPlaybackRequest {
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
export class ReportProgressInput implements ProgressReport {
  @Field(() => ID)
  sessionId!: string;

  @Field(() => Int)
  positionSeconds!: number;

  @Field(() => PlaybackEvent, { nullable: true, description: "Default HEARTBEAT." })
  event?: PlaybackEvent | null;
}
