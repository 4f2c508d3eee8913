// Content: a film, series or documentary. Owned here (`@key(fields: "id")`); other subgraphs add fields to it
// (ratings, reviews, rental price, progress) through their own key stubs.
import { Directive, Field, ID, Int, ObjectType } from "type-graphql";
import { CATALOG_HINT, ContentType, DateTimeScalar, MaturityRating } from "@watchflixx/common";

@Directive('@key(fields: "id")')
@Directive(CATALOG_HINT)
@ObjectType("Content", { description: "A film, series or documentary of the catalog." })
export class Content {
  @Field(() => ID)
  id!: string;

  // Shareable: streaming and analytics read it with their rows and @provides it where they return a title.
  @Directive("@shareable")
  @Field(() => String)
  title!: string;

  @Field(() => String)
  description!: string;

  @Field(() => ContentType)
  type!: ContentType;

  @Field(() => [String])
  genres!: string[];

  @Field(() => Int)
  releaseYear!: number;

  @Field(() => MaturityRating)
  maturityRating!: MaturityRating;

  @Field(() => Int, { nullable: true, description: "Running time of a film or documentary; null for a series." })
  durationMinutes!: number | null;

  @Directive("@shareable")
  @Field(() => String, { nullable: true })
  posterUrl!: string | null;

  @Field(() => String, { nullable: true })
  backdropUrl!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: "Null until published; unpublished titles are visible to staff only." })
  publishedAt!: Date | null;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;

  @Field(() => Int, { description: "Bumped on every edit; pass it back as `expectedVersion` to update." })
  version!: number;
}
