// Per-request DataLoaders: every field streaming adds to Content and Profile is answered with one query per
// batch, however many titles or profiles a request asks about.
import DataLoader from "dataloader";
import type { PrismaClient } from "@watchflixx/db";
import { listLoader, rowLoader, type SubgraphContext, type ViewerProfile } from "@watchflixx/common";
import { latestReviewsOf, ratingStatsOf, type RatingStats, type ReviewRow } from "./services/rating.service.ts";
import { resumePointsFor, type ResumePoint } from "./services/progress.service.ts";
import { watchlistsOf, type WatchlistRow } from "./services/watchlist.service.ts";

export interface ProgressKey {
  profileId: string;
  contentId: string;
}

export interface ReviewsKey {
  contentId: string;
  first: number;
}

export interface Loaders {
  /** `resolveViewerProfile` results of this request, by profile id. */
  viewerProfiles: Map<string, Promise<ViewerProfile>>;
  ratingStats: DataLoader<string, RatingStats | null>;
  reviews: DataLoader<ReviewsKey, ReviewRow[], string>;
  progress: DataLoader<ProgressKey, ResumePoint | null, string>;
  watchlist: DataLoader<string, WatchlistRow[]>;
}

export type StreamingContext = SubgraphContext<Loaders>;

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
  const reviewsKey = (key: ReviewsKey) => `${key.first}:${key.contentId}`;
  return {
    viewerProfiles: new Map(),
    ratingStats: rowLoader((contentIds: readonly string[]) => ratingStatsOf(db, contentIds), (row) => row.contentId),
    reviews: groupedLoader<ReviewsKey, ReviewRow[]>(
      (key) => String(key.first),
      reviewsKey,
      async (keys) => {
        const first = keys[0]?.first ?? 0;
        const rows = await latestReviewsOf(db, keys.map((key) => key.contentId), first);
        const byKey = new Map<string, ReviewRow[]>();
        for (const row of rows) {
          const cacheKey = reviewsKey({ contentId: row.contentId, first });
          const list = byKey.get(cacheKey);
          if (list) list.push(row);
          else byKey.set(cacheKey, [row]);
        }
        return byKey;
      },
      [],
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
