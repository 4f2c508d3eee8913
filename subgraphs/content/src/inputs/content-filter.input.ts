// `browse(filter:)`: what to list, and whose maturity limit applies (checked by the catalog service).
import { Field, ID, InputType, Int } from "type-graphql";
import { ContentType } from "@watchflixx/common";
import type { BrowseFilter } from "../services/catalog.service.ts";

@InputType("ContentFilter")
export class ContentFilter implements BrowseFilter {
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
