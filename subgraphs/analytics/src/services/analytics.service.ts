// Staff totals per title and a profile's own viewing stats, from the tables the consumer keeps current.
import { NotFoundError, requireStaff, resolveViewerProfile, type SubgraphContext } from "@watchflixx/common";
import type { ContentAnalytics, ViewingStats } from "../entities/analytics.ts";
import { contentRef } from "../entities/references.ts";

/** Staff only (FORBIDDEN otherwise); NOT_FOUND for an unknown title; zeros for a title never played. */
export async function contentAnalytics(context: SubgraphContext, contentId: string): Promise<ContentAnalytics> {
  requireStaff(context);
  const [row] = await context.db.$queryRaw<
    { id: string; views: number | null; unique_viewers: number | null; completions: number | null; total: number | null; updated_at: Date | null }[]
  >`
    SELECT c.id, a.views, a.unique_viewers, a.completions, a.total_watch_seconds::float8 AS total, a.updated_at
    FROM contents c LEFT JOIN content_analytics a ON a.content_id = c.id
    WHERE c.id = ${contentId}`;
  if (!row) throw new NotFoundError("Content");
  const views = row.views ?? 0;
  const completions = row.completions ?? 0;
  const total = row.total ?? 0;
  return {
    content: contentRef(row.id),
    views,
    uniqueViewers: row.unique_viewers ?? 0,
    completions,
    completionRate: views > 0 ? Math.min(1, completions / views) : 0,
    totalWatchSeconds: total,
    averageWatchSeconds: views > 0 ? Math.round((total / views) * 100) / 100 : 0,
    updatedAt: row.updated_at,
  };
}

const TOP_GENRES = 5;

/** The caller's own profile (NOT_FOUND otherwise), from that profile's viewing facts. */
export async function viewingStats(context: SubgraphContext, profileId: string): Promise<ViewingStats> {
  const profile = await resolveViewerProfile(context.db, context.identity, profileId);
  const [totals] = await context.db.$queryRaw<{ watched: number; started: number; completed: number }[]>`
    SELECT coalesce(sum(watched_seconds), 0)::int AS watched,
           count(DISTINCT content_id)::int AS started,
           count(DISTINCT content_id) FILTER (WHERE completed)::int AS completed
    FROM viewing_facts WHERE profile_id = ${profile.id}`;
  const genres = await context.db.$queryRaw<{ genre: string }[]>`
    SELECT genre FROM (
      SELECT f.content_id, sum(f.watched_seconds) AS watched FROM viewing_facts f
      WHERE f.profile_id = ${profile.id} GROUP BY f.content_id
    ) t
    JOIN contents c ON c.id = t.content_id
    CROSS JOIN LATERAL unnest(c.genres) AS genre
    GROUP BY genre
    ORDER BY sum(t.watched) DESC, count(*) DESC, genre
    LIMIT ${TOP_GENRES}`;
  return {
    totalWatchSeconds: totals?.watched ?? 0,
    titlesStarted: totals?.started ?? 0,
    titlesCompleted: totals?.completed ?? 0,
    topGenres: genres.map((row) => row.genre),
  };
}
