// Staff inputs for seasons of a series (declarative: checked by services/season-values.ts).
import { Field, ID, InputType, Int } from "type-graphql";
import type { NewSeason, SeasonEdit } from "../services/season-values.ts";

@InputType("CreateSeasonInput")
export class CreateSeasonInput implements NewSeason {
  @Field(() => ID, { description: "The series." })
  contentId!: string;

  @Field(() => Int)
  number!: number;

  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => Int, { nullable: true })
  releaseYear?: number | null;
}

@InputType("UpdateSeasonInput", { description: "An omitted field stays as it is; null clears a nullable one." })
export class UpdateSeasonInput implements SeasonEdit {
  @Field(() => Int)
  expectedVersion!: number;

  @Field(() => Int, { nullable: true })
  number?: number | null;

  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => Int, { nullable: true })
  releaseYear?: number | null;
}
