// A season of a series. An entity of its own so that other subgraphs can reference it.
import { Directive, Field, ID, Int, ObjectType } from "type-graphql";
import { CATALOG_HINT } from "@watchflixx/common";

@Directive('@key(fields: "id")')
@Directive(CATALOG_HINT)
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
