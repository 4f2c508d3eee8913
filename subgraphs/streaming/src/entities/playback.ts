// What startPlayback and reportProgress answer, and the resume point shared by continueWatching and
// Content.progress.
import { Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeScalar, PER_ACCOUNT_HINT, PRIVATE_HINT } from "@watchflixx/common";
import { PlaybackEvent } from "../services/playback.service.ts";
import { ContentRef, EpisodeRef } from "./references.ts";

export { PlaybackEvent };

registerEnumType(PlaybackEvent, {
  name: "PlaybackEvent",
  description: "What the player did: HEARTBEAT while playing (every ~10-30 s), SEEK after a jump (not counted as watched), STOP when playback ends.",
});

@Directive(PRIVATE_HINT)
@ObjectType("PlaybackSession", { description: "One playback from start to stop (a viewing session)." })
export class PlaybackSession {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "The adaptive-streaming manifest of the best rendition the entitlement allows." })
  manifestUrl!: string;

  @Field(() => Int, { description: "Where to start: the profile's saved position, 0 when new or finished." })
  resumePositionSeconds!: number;

  @Field(() => ContentRef)
  content!: ContentRef;

  @Field(() => EpisodeRef, { nullable: true, description: "The episode being played; null for a film." })
  episode!: EpisodeRef | null;

  @Field(() => DateTimeScalar)
  startedAt!: Date;
}

@Directive(PRIVATE_HINT)
@ObjectType("PlaybackProgress")
export class PlaybackProgress {
  @Field(() => Int)
  positionSeconds!: number;

  @Field(() => Float, { description: "0 to 100." })
  progressPercent!: number;

  @Field(() => Boolean, { description: "True from 90 % of the running time." })
  completed!: boolean;
}

@Directive(PER_ACCOUNT_HINT)
@ObjectType("WatchProgress", { description: "Where a profile stands in a title: the item to resume and how far it got." })
export class WatchProgress {
  @Field(() => Int)
  positionSeconds!: number;

  @Field(() => Float, { description: "0 to 100." })
  progressPercent!: number;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;

  @Field(() => Boolean)
  completed!: boolean;

  @Directive('@provides(fields: "title posterUrl")')
  @Field(() => ContentRef)
  content!: ContentRef;

  @Directive('@provides(fields: "number season { id number }")')
  @Field(() => EpisodeRef, { nullable: true, description: "The episode to resume (the next one after a finished episode); null for a film." })
  episode!: EpisodeRef | null;
}
