// Staff inputs for titles (declarative: checked by services/content-values.ts, whose plain types they match).
import { Field, InputType, Int } from "type-graphql";
import { ContentType, MaturityRating } from "@watchflixx/common";
import type { CastMemberFields, ContentEdit, CrewMemberFields, NewContent } from "../services/content-values.ts";

@InputType("CastMemberInput")
export class CastMemberInput implements CastMemberFields {
  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  character?: string | null;
}

@InputType("CrewMemberInput")
export class CrewMemberInput implements CrewMemberFields {
  @Field(() => String)
  name!: string;

  @Field(() => String)
  job!: string;

  @Field(() => String, { nullable: true })
  department?: string | null;
}

@InputType("CreateContentInput", { description: "A new title; it stays unpublished until `publishContent`." })
export class CreateContentInput implements NewContent {
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
export class UpdateContentInput implements ContentEdit {
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
