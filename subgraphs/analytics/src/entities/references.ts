// Key-only stubs of entities other subgraphs own: analytics returns `{ id }` and the gateway fetches the
// rest from the owner. Analytics adds no field to them.
import { Directive, Field, ID, ObjectType } from "type-graphql";

/** Owned by the content subgraph. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType("Content")
export class ContentRef {
  @Field(() => ID)
  id!: string;

  // Read with the rows that name the title (the same SQL), so the gateway needs no content fetch for them where
  // a field says @provides; everywhere else the content subgraph answers them.
  @Directive("@external")
  @Field(() => String)
  title?: string;

  @Directive("@external")
  @Field(() => String, { nullable: true })
  posterUrl?: string | null;
}
