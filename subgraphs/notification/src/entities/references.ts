// Key-only stubs of entities other subgraphs own: notification returns `{ id }` and the gateway fetches the
// rest from the owner. Notification adds no field to them.
import { Directive, Field, ID, ObjectType } from "type-graphql";

/** Owned by the auth subgraph. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType("Profile")
export class ProfileRef {
  @Field(() => ID)
  id!: string;
}

/** Owned by the content subgraph. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType("Content")
export class ContentRef {
  @Field(() => ID)
  id!: string;
}
