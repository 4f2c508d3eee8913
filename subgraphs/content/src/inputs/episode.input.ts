// Staff inputs for episodes (declarative: checked by services/episode-values.ts).
import { Field, ID, InputType, Int } from "type-graphql";
import { DateTimeScalar } from "@watchflixx/common";
import type { EpisodeEdit, NewEpisode } from "../services/episode-values.ts";

@InputType("CreateEpisodeInput")
export class CreateEpisodeInput implements NewEpisode {
  @Field(() => ID)
  seasonId!: string;

  @Field(() => Int)
  number!: number;

  @Field(() => String)
  title!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => Int)
  durationMinutes!: number;

  @Field(() => DateTimeScalar, { nullable: true })
  airDate?: Date | null;
}

@InputType("UpdateEpisodeInput", { description: "An omitted field stays as it is; null clears a nullable one." })
export class UpdateEpisodeInput implements EpisodeEdit {
  @Field(() => Int)
  expectedVersion!: number;

  @Field(() => Int, { nullable: true })
  number?: number | null;

  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => Int, { nullable: true })
  durationMinutes?: number | null;

  @Field(() => DateTimeScalar, { nullable: true })
  airDate?: Date | null;
}
