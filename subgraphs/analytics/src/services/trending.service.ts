// `trending`: titles ranked by views over the last 7 UTC days (today included), read from the per-day
// counters the consumer keeps (at most 7 rows per title), never from raw sessions. The maturity limit of the
// given profile is applied in SQL before ranking, so a kids profile gets a full list of titles it may watch.
import type { MaturityRating } from "@watchflixx/db";
import { maturityLimitFor, MATURITY_ORDER, pageSize, ratingsUpTo, type SubgraphContext } from "@watchflixx/common";
import { providedContentRef } from "../entities/references.ts";
import type { TrendingItem } from "../entities/analytics.ts";

export const TRENDING_WINDOW_DAYS = 7;

export async function trending(
  context: SubgraphContext,
  first: number | null | undefined,
  profileId: string | null | undefined,
): Promise<TrendingItem[]> {
  const limit = pageSize(first);
  const maturityLimit = await maturityLimitFor(context.db, context.identity, profileId);
  const allowed: MaturityRating[] = maturityLimit ? ratingsUpTo(maturityLimit) : [...MATURITY_ORDER];
  if (limit === 0) return [];
  // The title's name and poster come along (TrendingItem.content provides them: no content fetch for them).
  const rows = await context.db.$queryRaw<{ content_id: string; title: string; poster_url: string | null; views: number }[]>`
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
  return rows.map((row, index) => ({ rank: index + 1, views: row.views, content: providedContentRef({ id: row.content_id, title: row.title, posterUrl: row.poster_url }) }));
}
