// Staff inputs for episodes.
import { Field, ID, InputType, Int } from "type-graphql";
import { DateTimeScalar } from "@watchflixx/common";
import { intInRange, notNull, optionalText, requiredText } from "./validation.ts";

@InputType("CreateEpisodeInput")
export class CreateEpisodeInput {
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
export class UpdateEpisodeInput {
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

export interface EpisodeValues {
  number: number;
  title: string;
  description: string;
  durationMinutes: number;
  airDate: Date | null;
}

const episodeNumber = (value: number) => intInRange(value, "number", 1, 10_000);
const episodeMinutes = (value: number) => intInRange(value, "durationMinutes", 1, 1440);

export function validateCreateEpisode(input: CreateEpisodeInput): EpisodeValues {
  return {
    number: episodeNumber(input.number),
    title: requiredText(input.title, "title", 200),
    description: optionalText(input.description, "description", 5000) ?? "",
    durationMinutes: episodeMinutes(input.durationMinutes),
    airDate: input.airDate ?? null,
  };
}

export function validateUpdateEpisode(input: UpdateEpisodeInput): Partial<EpisodeValues> {
  const number = notNull(input.number, "number");
  const title = notNull(input.title, "title");
  const minutes = notNull(input.durationMinutes, "durationMinutes");
  return {
    ...(number === undefined ? {} : { number: episodeNumber(number) }),
    ...(title === undefined ? {} : { title: requiredText(title, "title", 200) }),
    ...(input.description === undefined ? {} : { description: optionalText(input.description, "description", 5000) ?? "" }),
    ...(minutes === undefined ? {} : { durationMinutes: episodeMinutes(minutes) }),
    ...(input.airDate === undefined ? {} : { airDate: input.airDate }),
  };
}
