// `browse(filter:)`: what to list, and whose maturity limit applies.
import { Field, ID, InputType, Int } from "type-graphql";
import { BadUserInputError, ContentType } from "@watchflixx/common";

@InputType("ContentFilter")
export class ContentFilter {
  @Field(() => ContentType, { nullable: true })
  type?: ContentType | null;

  @Field(() => String, { nullable: true, description: 'One genre, exactly as titles list it (e.g. "Sci-Fi").' })
  genre?: string | null;

  @Field(() => Int, { nullable: true })
  releaseYearFrom?: number | null;

  @Field(() => Int, { nullable: true })
  releaseYearTo?: number | null;

  @Field(() => ID, { nullable: true, description: "Apply this profile's maturity limit (one of the caller's profiles)." })
  profileId?: string | null;
}

export interface BrowseCriteria {
  type: ContentType | null;
  genre: string | null;
  releaseYearFrom: number | null;
  releaseYearTo: number | null;
  profileId: string | null;
}

export function browseCriteria(filter: ContentFilter | null | undefined): BrowseCriteria {
  const criteria: BrowseCriteria = {
    type: filter?.type ?? null,
    genre: filter?.genre?.trim() || null,
    releaseYearFrom: filter?.releaseYearFrom ?? null,
    releaseYearTo: filter?.releaseYearTo ?? null,
    profileId: filter?.profileId ?? null,
  };
  if (criteria.releaseYearFrom !== null && criteria.releaseYearTo !== null && criteria.releaseYearFrom > criteria.releaseYearTo) {
    throw new BadUserInputError("releaseYearFrom must not be after releaseYearTo.", "releaseYearFrom");
  }
  return criteria;
}
