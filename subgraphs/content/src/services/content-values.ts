// What staff send to create or edit a title, as plain data, and its validation: validators return the values to
// store; anything out of range is BAD_USER_INPUT naming the field. The GraphQL inputs (src/inputs) match these.
import { BadUserInputError, ContentType, type MaturityRating } from "@watchflixx/common";
import { currentYear, httpUrl, intInRange, notNull, optionalText, requiredText } from "./field-checks.ts";

export interface CastMemberFields {
  name: string;
  character?: string | null;
}

export interface CrewMemberFields {
  name: string;
  job: string;
  department?: string | null;
}

export interface NewContent {
  title: string;
  description?: string | null;
  type: ContentType;
  genres?: string[] | null;
  releaseYear: number;
  maturityRating: MaturityRating;
  durationMinutes?: number | null;
  posterUrl?: string | null;
  backdropUrl?: string | null;
  rentalPriceCents?: number | null;
  rentalCurrency?: string | null;
  cast?: CastMemberFields[] | null;
  crew?: CrewMemberFields[] | null;
}

/** An edit: omitted fields stay, null clears a nullable one; `expectedVersion` is the version it is based on. */
export type ContentEdit = { [K in keyof NewContent]?: NewContent[K] | null } & { expectedVersion: number };

export interface CastValues {
  name: string;
  character: string | null;
  position: number;
}

export interface CrewValues {
  name: string;
  job: string;
  department: string | null;
}

/** The title's own columns, as stored. */
export interface ContentValues {
  title: string;
  description: string;
  type: ContentType;
  genres: string[];
  releaseYear: number;
  maturityRating: MaturityRating;
  durationMinutes: number | null;
  posterUrl: string | null;
  backdropUrl: string | null;
  rentalPriceCents: number | null;
  rentalCurrency: string | null;
}

const MAX_GENRES = 10;
const MAX_CREDITS = 200;

function genres(values: string[], field = "genres"): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const value of values) {
    const genre = requiredText(value, field, 40);
    if (seen.has(genre.toLowerCase())) continue;
    seen.add(genre.toLowerCase());
    result.push(genre);
  }
  if (result.length > MAX_GENRES) throw new BadUserInputError(`At most ${MAX_GENRES} genres.`, field);
  return result;
}

export function castValues(cast: CastMemberFields[]): CastValues[] {
  if (cast.length > MAX_CREDITS) throw new BadUserInputError(`At most ${MAX_CREDITS} cast members.`, "cast");
  return cast.map((member, position) => ({
    name: requiredText(member.name, "cast.name", 200),
    character: optionalText(member.character, "cast.character", 200),
    position,
  }));
}

export function crewValues(crew: CrewMemberFields[]): CrewValues[] {
  if (crew.length > MAX_CREDITS) throw new BadUserInputError(`At most ${MAX_CREDITS} crew members.`, "crew");
  return crew.map((member) => ({
    name: requiredText(member.name, "crew.name", 200),
    job: requiredText(member.job, "crew.job", 100),
    department: optionalText(member.department, "crew.department", 100),
  }));
}

/** Checks that hold across fields, on the values a title will have once stored. */
function checkConsistency(values: ContentValues): ContentValues {
  if (values.type === ContentType.SERIES && values.durationMinutes !== null) {
    throw new BadUserInputError("A series has no durationMinutes; its episodes carry their own.", "durationMinutes");
  }
  if (values.rentalPriceCents === null) return { ...values, rentalCurrency: null };
  return { ...values, rentalCurrency: values.rentalCurrency ?? "USD" };
}

function rentalPrice(value: number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  return intInRange(value, "rentalPriceCents", 1, 100_000);
}

function currency(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const code = value.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) throw new BadUserInputError("rentalCurrency must be an ISO 4217 code such as USD.", "rentalCurrency");
  return code;
}

function releaseYear(value: number): number {
  return intInRange(value, "releaseYear", 1870, currentYear() + 5);
}

function duration(value: number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  return intInRange(value, "durationMinutes", 1, 1440);
}

export function validateCreateContent(input: NewContent): {
  values: ContentValues;
  cast: CastValues[];
  crew: CrewValues[];
} {
  const values = checkConsistency({
    title: requiredText(input.title, "title", 200),
    description: optionalText(input.description, "description", 5000) ?? "",
    type: input.type,
    genres: genres(input.genres ?? []),
    releaseYear: releaseYear(input.releaseYear),
    maturityRating: input.maturityRating,
    durationMinutes: duration(input.durationMinutes),
    posterUrl: httpUrl(input.posterUrl, "posterUrl"),
    backdropUrl: httpUrl(input.backdropUrl, "backdropUrl"),
    rentalPriceCents: rentalPrice(input.rentalPriceCents),
    rentalCurrency: currency(input.rentalCurrency),
  });
  return { values, cast: castValues(input.cast ?? []), crew: crewValues(input.crew ?? []) };
}

/**
 * The stored values after applying `input` to `current` (omitted fields kept), the names of the fields that
 * changed, and the credits to replace (undefined: keep as they are).
 */
export function validateUpdateContent(
  input: ContentEdit,
  current: ContentValues,
): { values: ContentValues; changed: (keyof ContentValues)[]; cast?: CastValues[]; crew?: CrewValues[] } {
  const title = notNull(input.title, "title");
  const type = notNull(input.type, "type");
  const genreList = notNull(input.genres, "genres");
  const year = notNull(input.releaseYear, "releaseYear");
  const rating = notNull(input.maturityRating, "maturityRating");
  const cast = notNull(input.cast, "cast");
  const crew = notNull(input.crew, "crew");

  const values = checkConsistency({
    title: title === undefined ? current.title : requiredText(title, "title", 200),
    description: input.description === undefined ? current.description : (optionalText(input.description, "description", 5000) ?? ""),
    type: type ?? current.type,
    genres: genreList === undefined ? current.genres : genres(genreList),
    releaseYear: year === undefined ? current.releaseYear : releaseYear(year),
    maturityRating: rating ?? current.maturityRating,
    durationMinutes: input.durationMinutes === undefined ? current.durationMinutes : duration(input.durationMinutes),
    posterUrl: input.posterUrl === undefined ? current.posterUrl : httpUrl(input.posterUrl, "posterUrl"),
    backdropUrl: input.backdropUrl === undefined ? current.backdropUrl : httpUrl(input.backdropUrl, "backdropUrl"),
    rentalPriceCents: input.rentalPriceCents === undefined ? current.rentalPriceCents : rentalPrice(input.rentalPriceCents),
    rentalCurrency: input.rentalCurrency === undefined ? current.rentalCurrency : currency(input.rentalCurrency),
  });
  const changed = (Object.keys(values) as (keyof ContentValues)[]).filter(
    (key) => JSON.stringify(values[key]) !== JSON.stringify(current[key]),
  );
  return {
    values,
    changed,
    ...(cast === undefined ? {} : { cast: castValues(cast) }),
    ...(crew === undefined ? {} : { crew: crewValues(crew) }),
  };
}

