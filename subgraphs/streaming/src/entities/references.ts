// Key-only stubs of entities other subgraphs own. Streaming returns `{ id }` and the gateway fetches the
// rest from the owner. `Content` and `Profile` are resolvable here because streaming adds fields to them
// (ratings, progress, watchlist: see resolvers/content.resolver.ts and resolvers/profile.resolver.ts);
// `Episode` only ever appears as a reference.
import { Directive, Field, ID, ObjectType } from "type-graphql";
import { RATINGS_HINT } from "@watchflixx/common";

/** Owned by the content subgraph. */
@Directive('@key(fields: "id")')
@ObjectType("Content")
export class ContentRef {
  @Field(() => ID)
  id!: string;
}

/** Owned by the content subgraph; streaming adds nothing to it. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType("Episode")
export class EpisodeRef {
  @Field(() => ID)
  id!: string;
}

/** Owned by the auth subgraph. */
@Directive('@key(fields: "id")')
@ObjectType("Profile")
export class ProfileRef {
  // A review's author as a reference: anyone may see which profile wrote it (auth answers the rest, per caller).
  @Directive(RATINGS_HINT)
  @Field(() => ID)
  id!: string;
}

export function contentRef(id: string): ContentRef {
  return { id };
}

export function episodeRef(id: string | null): EpisodeRef | null {
  return id === null ? null : { id };
}

export function profileRef(id: string): ProfileRef {
  return { id };
}
