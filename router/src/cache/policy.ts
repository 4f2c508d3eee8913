// What the entity cache may keep, and for how long: the cache hints of the supergraph, by type and field.
// Default-deny: a field absent from this table is never cached, and a subgraph fetch is cacheable only when
// every field it selects is PUBLIC here. PUBLIC means "the same answer for every caller at one maturity
// limit": catalog data (titles, seasons, episodes, credits, subtitles, rating averages, reviews, rental
// prices, plans, trending). Whatever depends on the caller (me, profiles, watchlist, progress, billing,
// notifications, parties, analytics for staff) is left out, which makes it uncached (test/cache-policy.test.ts
// walks the whole supergraph and lists them).
//
// maxAge bounds what a missed invalidation event could leave behind (the events drop entries at once).

export type CacheScope = "PUBLIC";

export interface CacheHint {
  maxAge: number;
  scope: CacheScope;
}

const CATALOG = 300;
/** Averages and reviews move with every rating; ContentRated drops them, the TTL is shorter anyway. */
const RATINGS = 120;
/** Trending moves with views; no event says so, the TTL alone bounds it. */
const TRENDING = 30;

const publicFor = (maxAge: number): CacheHint => ({ maxAge, scope: "PUBLIC" });

/** `Type` (every field of it) or `Type.field` → hint. A field's own entry wins over its type's. */
export const CACHE_HINTS: ReadonlyMap<string, CacheHint> = new Map<string, CacheHint>([
  ["Query.content", publicFor(CATALOG)],
  ["Query.browse", publicFor(CATALOG)],
  ["Query.search", publicFor(CATALOG)],
  ["Query.trending", publicFor(TRENDING)],
  ["Query.plans", publicFor(CATALOG)],
  ["Content.id", publicFor(CATALOG)],
  ["Content.title", publicFor(CATALOG)],
  ["Content.description", publicFor(CATALOG)],
  ["Content.type", publicFor(CATALOG)],
  ["Content.genres", publicFor(CATALOG)],
  ["Content.releaseYear", publicFor(CATALOG)],
  ["Content.maturityRating", publicFor(CATALOG)],
  ["Content.durationMinutes", publicFor(CATALOG)],
  ["Content.posterUrl", publicFor(CATALOG)],
  ["Content.backdropUrl", publicFor(CATALOG)],
  ["Content.publishedAt", publicFor(CATALOG)],
  ["Content.createdAt", publicFor(CATALOG)],
  ["Content.updatedAt", publicFor(CATALOG)],
  ["Content.version", publicFor(CATALOG)],
  ["Content.seasons", publicFor(CATALOG)],
  ["Content.cast", publicFor(CATALOG)],
  ["Content.crew", publicFor(CATALOG)],
  ["Content.subtitles", publicFor(CATALOG)],
  ["Content.rentalPrice", publicFor(CATALOG)],
  ["Content.averageRating", publicFor(RATINGS)],
  ["Content.ratingCount", publicFor(RATINGS)],
  ["Content.reviews", publicFor(RATINGS)],
  // Content.progress: the caller's own profile: never here.
  ["Season", publicFor(CATALOG)],
  ["Episode", publicFor(CATALOG)],
  ["CastMember", publicFor(CATALOG)],
  ["CrewMember", publicFor(CATALOG)],
  ["SubtitleTrack", publicFor(CATALOG)],
  ["Money", publicFor(CATALOG)],
  ["ContentConnection", publicFor(CATALOG)],
  ["ContentEdge", publicFor(CATALOG)],
  ["PageInfo", publicFor(CATALOG)],
  ["TrendingItem", publicFor(TRENDING)],
  ["Plan", publicFor(CATALOG)],
  ["Review", publicFor(RATINGS)],
  // A review's author as the streaming subgraph returns it: a reference (the id), which anyone may see; every
  // other Profile field is the auth subgraph's, per caller, and stays uncached.
  ["Profile.id", publicFor(RATINGS)],
]);

/** The hint of `Type.field`, or undefined (not cacheable). `__typename` is always public. */
export function hintOf(typeName: string, fieldName: string): CacheHint | undefined {
  if (fieldName === "__typename") return publicFor(Number.POSITIVE_INFINITY);
  return CACHE_HINTS.get(`${typeName}.${fieldName}`) ?? CACHE_HINTS.get(typeName);
}

/** Arguments whose value selects a viewer profile: the cache replaces them by that profile's maturity limit. */
export const PROFILE_ARGUMENT = "profileId";
