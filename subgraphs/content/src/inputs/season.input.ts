// Staff inputs for seasons of a series.
import { Field, ID, InputType, Int } from "type-graphql";
import { currentYear, intInRange, notNull, optionalText } from "./validation.ts";

@InputType("CreateSeasonInput")
export class CreateSeasonInput {
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
export class UpdateSeasonInput {
  @Field(() => Int)
  expectedVersion!: number;

  @Field(() => Int, { nullable: true })
  number?: number | null;

  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => Int, { nullable: true })
  releaseYear?: number | null;
}

export interface SeasonValues {
  number: number;
  title: string | null;
  releaseYear: number | null;
}

const seasonNumber = (value: number) => intInRange(value, "number", 1, 1000);
const seasonYear = (value: number | null | undefined) =>
  value === null || value === undefined ? null : intInRange(value, "releaseYear", 1870, currentYear() + 5);

export function validateCreateSeason(input: CreateSeasonInput): SeasonValues {
  return {
    number: seasonNumber(input.number),
    title: optionalText(input.title, "title", 200),
    releaseYear: seasonYear(input.releaseYear),
  };
}

export function validateUpdateSeason(input: UpdateSeasonInput): Partial<SeasonValues> {
  const number = notNull(input.number, "number");
  return {
    ...(number === undefined ? {} : { number: seasonNumber(number) }),
    ...(input.title === undefined ? {} : { title: optionalText(input.title, "title", 200) }),
    ...(input.releaseYear === undefined ? {} : { releaseYear: seasonYear(input.releaseYear) }),
  };
}
