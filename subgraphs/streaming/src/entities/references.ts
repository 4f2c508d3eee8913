// Key-only stubs of entities other subgraphs own. Streaming returns `{ id }` and the gateway fetches the
// rest from the owner. `Content` and `Profile` are resolvable here because streaming adds fields to them
// (ratings, progress, watchlist: see resolvers/content.resolver.ts and resolvers/profile.resolver.ts);
// `Episode` only ever appears as a reference.
import { Directive, Field, ID, Int, ObjectType } from "type-graphql";
import { RATINGS_HINT } from "@watchflixx/common";

/** Owned by the content subgraph. */
@Directive('@key(fields: "id")')
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

/** Owned by the content subgraph; streaming adds nothing to it. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType("Season")
export class SeasonRef {
  @Field(() => ID)
  id!: string;

  // Read with a resume point (the same SQL): provided on WatchProgress.episode.
  @Directive("@external")
  @Field(() => Int)
  number?: number;
}

/** Owned by the content subgraph; streaming adds nothing to it. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType("Episode")
export class EpisodeRef {
  @Field(() => ID)
  id!: string;

  // Read with a resume point (the same SQL): provided on WatchProgress.episode.
  @Directive("@external")
  @Field(() => Int)
  number?: number;

  @Directive("@external")
  @Field(() => SeasonRef)
  season?: SeasonRef;
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
