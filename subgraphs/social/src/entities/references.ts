// Key-only stubs of entities other subgraphs own: social returns `{ id }`, the gateway fetches the rest.
import { Directive, Field, ID, ObjectType } from "type-graphql";

/** Owned by the auth subgraph (hosts, members, senders). */
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

/** Owned by the content subgraph. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType("Episode")
export class EpisodeRef {
  @Field(() => ID)
  id!: string;
}
