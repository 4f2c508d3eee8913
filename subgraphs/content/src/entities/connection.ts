// The `browse` page: Relay-style edges with opaque cursors, page info and the total behind the filter.
import { Directive, Field, ObjectType } from "type-graphql";
import { CATALOG_HINT } from "@watchflixx/common";
import { Content } from "./content.ts";

@Directive("@shareable")
@Directive(CATALOG_HINT)
@ObjectType("PageInfo")
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: "Pass as `after` to get the next page; null on an empty page." })
  endCursor!: string | null;
}

@Directive(CATALOG_HINT)
@ObjectType("ContentEdge")
export class ContentEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => Content)
  node!: Content;
}

@Directive(CATALOG_HINT)
@ObjectType("ContentConnection")
export class ContentConnection {
  @Field(() => [ContentEdge])
  edges!: ContentEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  /** Counted only when asked for (see the field resolver). */
  countTotal!: () => Promise<number>;
}
