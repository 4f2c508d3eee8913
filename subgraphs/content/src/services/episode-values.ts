// A new or edited episode, as plain data, and its validation (BAD_USER_INPUT naming the field).
import { intInRange, notNull, optionalText, requiredText } from "./field-checks.ts";

export interface NewEpisode {
  seasonId: string;
  number: number;
  title: string;
  description?: string | null;
  durationMinutes: number;
  airDate?: Date | null;
}

/** An edit: omitted fields stay, null clears a nullable one. */
export interface EpisodeEdit {
  expectedVersion: number;
  number?: number | null;
  title?: string | null;
  description?: string | null;
  durationMinutes?: number | null;
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

export function validateCreateEpisode(input: NewEpisode): EpisodeValues {
  return {
    number: episodeNumber(input.number),
    title: requiredText(input.title, "title", 200),
    description: optionalText(input.description, "description", 5000) ?? "",
    durationMinutes: episodeMinutes(input.durationMinutes),
    airDate: input.airDate ?? null,
  };
}

export function validateUpdateEpisode(input: EpisodeEdit): Partial<EpisodeValues> {
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
