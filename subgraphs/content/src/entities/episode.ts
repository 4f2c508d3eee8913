// An episode of a series season. Streaming and social reference it by id (playback, continue watching, parties).
import { Directive, Field, ID, Int, ObjectType } from "type-graphql";
import { CATALOG_HINT, DateTimeScalar } from "@watchflixx/common";

@Directive('@key(fields: "id")')
@Directive(CATALOG_HINT)
@ObjectType("Episode")
export class Episode {
  @Field(() => ID)
  id!: string;

  // Shareable: streaming reads it with a resume point and @provides it on WatchProgress.episode.
  @Directive("@shareable")
  @Field(() => Int)
  number!: number;

  @Field(() => String)
  title!: string;

  @Field(() => String)
  description!: string;

  @Field(() => Int)
  durationMinutes!: number;

  @Field(() => DateTimeScalar, { nullable: true })
  airDate!: Date | null;

  @Field(() => Int)
  version!: number;
}
