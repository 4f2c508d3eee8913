// `trending`: titles ranked by views over the last 7 UTC days (today included), read from the per-day
// counters the consumer keeps (at most 7 rows per title), never from raw sessions. The maturity limit of the
// given profile is applied in SQL before ranking, so a kids profile gets a full list of titles it may watch.
import type { MaturityRating, PrismaClient } from "@watchflixx/db";
import { maturityLimitFor, MATURITY_ORDER, pageSize, ratingsUpTo, type Identity, type ProfileAccessCache } from "@watchflixx/common";
import type { ContentKey } from "./analytics.service.ts";

export const TRENDING_WINDOW_DAYS = 7;

export interface TrendingTitle {
  rank: number;
  views: number;
  /** With the title's name and poster (TrendingItem.content provides them: no content fetch for them). */
  content: ContentKey;
}

export class TrendingService {
  constructor(
    private readonly db: PrismaClient,
    private readonly profileAccess: ProfileAccessCache,
  ) {}

  /** `first`: default 20, at most 100; `profileId`: one of the caller's profiles (NOT_FOUND otherwise). */
  async trending(viewer: Identity | null, first: number | null | undefined, profileId: string | null | undefined): Promise<TrendingTitle[]> {
    const limit = pageSize(first);
    const maturityLimit = await maturityLimitFor(this.db, viewer, profileId, this.profileAccess);
    const allowed: MaturityRating[] = maturityLimit ? ratingsUpTo(maturityLimit) : [...MATURITY_ORDER];
    if (limit === 0) return [];
    const rows = await this.db.$queryRaw<{ content_id: string; title: string; poster_url: string | null; views: number }[]>`
      SELECT d.content_id, c.title, c.poster_url, sum(d.views)::int AS views
      FROM content_daily_views d
      JOIN contents c ON c.id = d.content_id
      WHERE d.day > (now() AT TIME ZONE 'UTC')::date - ${TRENDING_WINDOW_DAYS}::int
        AND c.published_at IS NOT NULL
        AND c.maturity_rating::text = ANY(${allowed})
      GROUP BY d.content_id, c.id
      HAVING sum(d.views) > 0
      ORDER BY views DESC, d.content_id
      LIMIT ${limit}`;
    return rows.map((row, index) => ({ rank: index + 1, views: row.views, content: { id: row.content_id, title: row.title, posterUrl: row.poster_url } }));
  }
}
