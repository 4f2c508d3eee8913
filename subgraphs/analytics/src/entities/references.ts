// Key-only stubs of entities other subgraphs own: analytics returns `{ id }` and the gateway fetches the
// rest from the owner. Analytics adds no field to them.
import { Directive, Field, ID, ObjectType } from "type-graphql";

/** Owned by the content subgraph. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType("Content")
export class ContentRef {
  @Field(() => ID)
  id!: string;
}

export function contentRef(id: string): ContentRef {
  return { id };
}
