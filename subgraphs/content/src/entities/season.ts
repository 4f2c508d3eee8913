// A season of a series. An entity of its own so that other subgraphs can reference it.
import { Directive, Field, ID, Int, ObjectType } from "type-graphql";

@Directive('@key(fields: "id")')
@ObjectType("Season")
export class Season {
  @Field(() => ID)
  id!: string;

  // Shareable: streaming reads it with a resume point and @provides it on WatchProgress.episode.season.
  @Directive("@shareable")
  @Field(() => Int)
  number!: number;

  @Field(() => String, { nullable: true })
  title!: string | null;

  @Field(() => Int, { nullable: true })
  releaseYear!: number | null;

  @Field(() => Int)
  version!: number;
}
