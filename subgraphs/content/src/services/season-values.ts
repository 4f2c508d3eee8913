// A new or edited season of a series, as plain data, and its validation (BAD_USER_INPUT naming the field).
import { currentYear, intInRange, notNull, optionalText } from "./field-checks.ts";

export interface NewSeason {
  /** The series. */
  contentId: string;
  number: number;
  title?: string | null;
  releaseYear?: number | null;
}

/** An edit: omitted fields stay, null clears a nullable one. */
export interface SeasonEdit {
  expectedVersion: number;
  number?: number | null;
  title?: string | null;
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

export function validateCreateSeason(input: NewSeason): SeasonValues {
  return {
    number: seasonNumber(input.number),
    title: optionalText(input.title, "title", 200),
    releaseYear: seasonYear(input.releaseYear),
  };
}

export function validateUpdateSeason(input: SeasonEdit): Partial<SeasonValues> {
  const number = notNull(input.number, "number");
  return {
    ...(number === undefined ? {} : { number: seasonNumber(number) }),
    ...(input.title === undefined ? {} : { title: optionalText(input.title, "title", 200) }),
    ...(input.releaseYear === undefined ? {} : { releaseYear: seasonYear(input.releaseYear) }),
  };
}
