// Per-request DataLoaders: every field streaming adds to Content and Profile is answered with one query per
// batch, however many titles or profiles a request asks about.
import DataLoader from "dataloader";
import type { PrismaClient } from "@watchflixx/db";
import { listLoader, type ViewerProfile } from "@watchflixx/common";
import { ratingReadsOf, type RatingStats, type ReviewRow } from "./services/rating.service.ts";
import { resumePointsFor, type ResumePoint } from "./services/progress.service.ts";
import { watchlistsOf, type WatchlistRow } from "./services/watchlist.service.ts";

export interface ProgressKey {
  profileId: string;
  contentId: string;
}

/** A title's rating stats, and with `first` its newest reviews (null: the stats only). */
export interface RatingsKey {
  contentId: string;
  first: number | null;
}

export interface RatingsAnswer {
  stats: RatingStats | null;
  reviews: ReviewRow[];
}

const ratingsKey = (key: RatingsKey) => `${key.first ?? "-"}:${key.contentId}`;

export interface Loaders {
  /** `resolveViewerProfile` results of this request, by profile id. */
  viewerProfiles: Map<string, Promise<ViewerProfile>>;
  /** Rating stats and reviews of titles: both read in one statement per batch. */
  ratings: DataLoader<RatingsKey, RatingsAnswer, string>;
  progress: DataLoader<ProgressKey, ResumePoint | null, string>;
  watchlist: DataLoader<string, WatchlistRow[]>;
}

/** Groups keys by one of their parts, runs `fetch` once per group, and answers each key from its group. */
function groupedLoader<K, V>(
  groupOf: (key: K) => string,
  cacheKeyOf: (key: K) => string,
  fetch: (keys: readonly K[]) => Promise<Map<string, V>>,
  fallback: V,
): DataLoader<K, V, string> {
  return new DataLoader<K, V, string>(
    async (keys) => {
      const groups = new Map<string, K[]>();
      for (const key of keys) {
        const group = groups.get(groupOf(key));
        if (group) group.push(key);
        else groups.set(groupOf(key), [key]);
      }
      const answers = new Map<string, V>();
      await Promise.all(
        [...groups.values()].map(async (group) => {
          for (const [cacheKey, value] of await fetch(group)) answers.set(cacheKey, value);
        }),
      );
      return keys.map((key) => answers.get(cacheKeyOf(key)) ?? fallback);
    },
    { cacheKeyFn: cacheKeyOf },
  );
}

export function createLoaders(db: PrismaClient): Loaders {
  const progressKey = (key: ProgressKey) => `${key.profileId}:${key.contentId}`;
  return {
    viewerProfiles: new Map(),
    ratings: new DataLoader<RatingsKey, RatingsAnswer, string>(
      async (keys) => {
        // One statement per distinct page size (in practice one); the stats of every title come with the first.
        const statsOf = [...new Set(keys.map((key) => key.contentId))];
        const firsts = [...new Set(keys.flatMap((key) => (key.first === null ? [] : [key.first])))];
        const reads = await Promise.all(
          (firsts.length > 0 ? firsts : [0]).map(async (first, index) => ({
            first,
            ...(await ratingReadsOf(db, index === 0 ? statsOf : [], keys.filter((key) => key.first === first).map((key) => key.contentId), first)),
          })),
        );
        const stats = new Map(reads.flatMap((read) => read.stats).map((row) => [row.contentId, row]));
        const reviews = new Map<string, ReviewRow[]>();
        for (const read of reads) {
          for (const row of read.reviews) {
            const cacheKey = ratingsKey({ contentId: row.contentId, first: read.first });
            const list = reviews.get(cacheKey);
            if (list) list.push(row);
            else reviews.set(cacheKey, [row]);
          }
        }
        return keys.map((key) => ({ stats: stats.get(key.contentId) ?? null, reviews: reviews.get(ratingsKey(key)) ?? [] }));
      },
      { cacheKeyFn: ratingsKey },
    ),
    progress: groupedLoader<ProgressKey, ResumePoint | null>(
      (key) => key.profileId,
      progressKey,
      async (keys) => {
        const profileId = keys[0]?.profileId ?? "";
        const points = await resumePointsFor(db, profileId, keys.map((key) => key.contentId));
        return new Map(points.map((point) => [progressKey({ profileId, contentId: point.contentId }), point]));
      },
      null,
    ),
    watchlist: listLoader((profileIds: readonly string[]) => watchlistsOf(db, profileIds), (row) => row.profileId),
  };
}
