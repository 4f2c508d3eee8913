// Staff inputs for titles, and their validation. Validators return the values to store; anything out of
// range is BAD_USER_INPUT naming the field.
import { Field, InputType, Int } from "type-graphql";
import { BadUserInputError, ContentType, MaturityRating } from "@watchflixx/common";
import { currentYear, httpUrl, intInRange, notNull, optionalText, requiredText } from "./validation.ts";

@InputType("CastMemberInput")
export class CastMemberInput {
  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  character?: string | null;
}

@InputType("CrewMemberInput")
export class CrewMemberInput {
  @Field(() => String)
  name!: string;

  @Field(() => String)
  job!: string;

  @Field(() => String, { nullable: true })
  department?: string | null;
}

@InputType("CreateContentInput", { description: "A new title; it stays unpublished until `publishContent`." })
export class CreateContentInput {
  @Field(() => String)
  title!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => ContentType)
  type!: ContentType;

  @Field(() => [String], { nullable: true })
  genres?: string[] | null;

  @Field(() => Int)
  releaseYear!: number;

  @Field(() => MaturityRating)
  maturityRating!: MaturityRating;

  @Field(() => Int, { nullable: true, description: "Films and documentaries only; a series has none." })
  durationMinutes?: number | null;

  @Field(() => String, { nullable: true })
  posterUrl?: string | null;

  @Field(() => String, { nullable: true })
  backdropUrl?: string | null;

  @Field(() => Int, { nullable: true, description: "48-hour rental price in minor units; omit when not rentable." })
  rentalPriceCents?: number | null;

  @Field(() => String, { nullable: true, description: "ISO 4217 code of the rental price (default USD)." })
  rentalCurrency?: string | null;

  @Field(() => [CastMemberInput], { nullable: true, description: "In billing order." })
  cast?: CastMemberInput[] | null;

  @Field(() => [CrewMemberInput], { nullable: true })
  crew?: CrewMemberInput[] | null;
}

@InputType("UpdateContentInput", { description: "An omitted field stays as it is; null clears a nullable one." })
export class UpdateContentInput {
  @Field(() => Int, { description: "The `version` the edit is based on; a newer one makes this a CONFLICT." })
  expectedVersion!: number;

  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => ContentType, { nullable: true })
  type?: ContentType | null;

  @Field(() => [String], { nullable: true })
  genres?: string[] | null;

  @Field(() => Int, { nullable: true })
  releaseYear?: number | null;

  @Field(() => MaturityRating, { nullable: true })
  maturityRating?: MaturityRating | null;

  @Field(() => Int, { nullable: true })
  durationMinutes?: number | null;

  @Field(() => String, { nullable: true })
  posterUrl?: string | null;

  @Field(() => String, { nullable: true })
  backdropUrl?: string | null;

  @Field(() => Int, { nullable: true })
  rentalPriceCents?: number | null;

  @Field(() => String, { nullable: true })
  rentalCurrency?: string | null;

  @Field(() => [CastMemberInput], { nullable: true, description: "Replaces the whole cast when given." })
  cast?: CastMemberInput[] | null;

  @Field(() => [CrewMemberInput], { nullable: true, description: "Replaces the whole crew when given." })
  crew?: CrewMemberInput[] | null;
}

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

export function castValues(cast: CastMemberInput[]): CastValues[] {
  if (cast.length > MAX_CREDITS) throw new BadUserInputError(`At most ${MAX_CREDITS} cast members.`, "cast");
  return cast.map((member, position) => ({
    name: requiredText(member.name, "cast.name", 200),
    character: optionalText(member.character, "cast.character", 200),
    position,
  }));
}

export function crewValues(crew: CrewMemberInput[]): CrewValues[] {
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

export function validateCreateContent(input: CreateContentInput): {
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
  input: UpdateContentInput,
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

