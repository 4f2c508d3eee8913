// Staff totals per title and a profile's own viewing stats, from the tables the consumer keeps current.
import type { PrismaClient } from "@watchflixx/db";
import { NotFoundError, requireStaff, resolveViewerProfile, type Identity, type ProfileAccessCache } from "@watchflixx/common";

const TOP_GENRES = 5;

/** A title as analytics names it: its key (the gateway fetches the rest from content). */
export interface ContentKey {
  id: string;
  /** Only where they came with the row (`@provides(fields: "title posterUrl")`). */
  title?: string;
  posterUrl?: string | null;
}

export interface TitleTotals {
  content: ContentKey;
  views: number;
  uniqueViewers: number;
  completions: number;
  completionRate: number;
  totalWatchSeconds: number;
  averageWatchSeconds: number;
  updatedAt: Date | null;
}

export interface ProfileViewing {
  totalWatchSeconds: number;
  titlesStarted: number;
  titlesCompleted: number;
  topGenres: string[];
}

export class AnalyticsService {
  constructor(
    private readonly db: PrismaClient,
    private readonly profileAccess: ProfileAccessCache,
  ) {}

  /** Staff only (FORBIDDEN otherwise); NOT_FOUND for an unknown title; zeros for a title never played. */
  async contentAnalytics(viewer: Identity | null, contentId: string): Promise<TitleTotals> {
    requireStaff({ identity: viewer });
    const [row] = await this.db.$queryRaw<
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
      content: { id: row.id },
      views,
      uniqueViewers: row.unique_viewers ?? 0,
      completions,
      completionRate: views > 0 ? Math.min(1, completions / views) : 0,
      totalWatchSeconds: total,
      averageWatchSeconds: views > 0 ? Math.round((total / views) * 100) / 100 : 0,
      updatedAt: row.updated_at,
    };
  }

  /** The caller's own profile (NOT_FOUND otherwise), from that profile's viewing facts. */
  async viewingStats(viewer: Identity | null, profileId: string): Promise<ProfileViewing> {
    const profile = await resolveViewerProfile(this.db, viewer, profileId, this.profileAccess);
    const [totals] = await this.db.$queryRaw<{ watched: number; started: number; completed: number }[]>`
      SELECT coalesce(sum(watched_seconds), 0)::int AS watched,
             count(DISTINCT content_id)::int AS started,
             count(DISTINCT content_id) FILTER (WHERE completed)::int AS completed
      FROM viewing_facts WHERE profile_id = ${profile.id}`;
    const genres = await this.db.$queryRaw<{ genre: string }[]>`
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
}
