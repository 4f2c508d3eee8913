// The floor's screens: hand-written SQL, one statement per screen where the data allows, shaped in JS into the
// supergraph's JSON (same fields, order, rounding and cursors as the subgraphs produce).
import type pg from "pg";
import type { FloorCaller } from "./auth.ts";

export interface FloorContext {
  pool: pg.Pool;
  /** The verified caller of this request (null: anonymous). */
  caller: FloorCaller | null;
}

type Handler = (context: FloorContext, variables: Record<string, unknown>) => Promise<unknown>;

export class FloorError extends Error {}

/** The contract's page size: 20 by default, at most 100 (packages/common/src/pagination.ts). */
function pageSize(first: unknown): number {
  return typeof first === "number" ? Math.max(0, Math.min(100, first)) : 20;
}

/** The content subgraph's cursor: base64url of {c: createdAt, i: id}. */
function cursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify({ c: createdAt.toISOString(), i: id })).toString("base64url");
}

/** As the streaming subgraph rounds an average: two decimals, null without ratings. */
function rounded(average: number | null): number | null {
  return average === null ? null : Math.round(average * 100) / 100;
}

/** As the content subgraph builds a type-ahead tsquery (catalog.service.ts prefixTsQuery). */
function prefixTsQuery(query: string): string | null {
  if (/\s$/u.test(query) || query.includes('"')) return null;
  const words = query.trim().split(/\s+/u);
  if (words.some((word) => word.startsWith("-") || word.toLowerCase() === "or")) return null;
  const lexemes = words.flatMap((word) => word.split(/[^\p{L}\p{N}]+/u)).filter((lexeme) => lexeme.length > 0);
  if (lexemes.length === 0) return null;
  return lexemes.map((lexeme, index) => (index === lexemes.length - 1 ? `${lexeme}:*` : lexeme)).join(" & ");
}

interface BrowseRow {
  id: string;
  title: string;
  type: string;
  genres: string[];
  release_year: number;
  maturity_rating: string;
  poster_url: string | null;
  created_at: Date;
  average: number | null;
  total: string;
}

/** Browse, anonymous, no filter: one statement (page + 1 row for hasNextPage, ratings joined, the count as a window-free subquery). */
const browse: Handler = async ({ pool }, variables) => {
  if (variables.filter || variables.after) throw new Error("the floor serves Browse without filter or after");
  const take = pageSize(variables.first);
  const { rows } = await pool.query<BrowseRow>(
    `SELECT c.id, c.title, c.type, c.genres, c.release_year, c.maturity_rating, c.poster_url, c.created_at,
            (SELECT avg(r.rating)::float8 FROM ratings r WHERE r.content_id = c.id) AS average,
            (SELECT count(*) FROM contents t WHERE t.published_at IS NOT NULL) AS total
     FROM contents c
     WHERE c.published_at IS NOT NULL
     ORDER BY c.created_at DESC, c.id DESC
     LIMIT $1`,
    [take + 1],
  );
  const page = rows.slice(0, take);
  const last = page[page.length - 1];
  return {
    browse: {
      edges: page.map((row) => ({
        cursor: cursor(row.created_at, row.id),
        node: {
          id: row.id,
          title: row.title,
          type: row.type,
          genres: row.genres,
          releaseYear: row.release_year,
          maturityRating: row.maturity_rating,
          posterUrl: row.poster_url,
          averageRating: rounded(row.average),
        },
      })),
      pageInfo: { hasNextPage: rows.length > take, endCursor: last ? cursor(last.created_at, last.id) : null },
      totalCount: Number(rows[0]?.total ?? 0),
    },
  };
};

/** Search, anonymous: one statement, ranked as the content subgraph ranks. */
const search: Handler = async ({ pool }, variables) => {
  if (variables.profileId) throw new Error("the floor serves Search without profileId");
  const text = String(variables.query ?? "").trim();
  const take = pageSize(variables.first);
  const prefix = prefixTsQuery(String(variables.query ?? ""));
  const tsquery = prefix ? `(websearch_to_tsquery('english', $1) || to_tsquery('english', $3))` : `websearch_to_tsquery('english', $1)`;
  const { rows } = await pool.query<{ id: string; title: string; type: string; release_year: number }>(
    `SELECT c.id, c.title, c.type, c.release_year
     FROM contents c
     WHERE c.search_vector @@ ${tsquery} AND c.published_at IS NOT NULL
     ORDER BY ts_filter(c.search_vector, '{a}') @@ ${tsquery} DESC, ts_rank(c.search_vector, ${tsquery}) DESC, c.created_at DESC, c.id DESC
     LIMIT $2`,
    prefix ? [text, take, prefix] : [text, take],
  );
  return { search: rows.map((row) => ({ id: row.id, title: row.title, type: row.type, releaseYear: row.release_year })) };
};

interface DetailsRow {
  id: string;
  title: string;
  description: string;
  type: string;
  genres: string[];
  release_year: number;
  maturity_rating: string;
  duration_minutes: number | null;
  rental_price_cents: number | null;
  rental_currency: string | null;
  cast: unknown[];
  crew: unknown[];
  seasons: unknown[];
  subtitles: unknown[];
  average: number | null;
  rating_count: number;
  reviews: unknown[];
  viewer_ok: boolean;
  progress: unknown;
}

/**
 * ContentDetails: one statement. The profile must be the caller's (as the streaming subgraph checks it); its
 * progress is the resume point the streaming subgraph computes (the latest film/episode played, or the next
 * episode after a finished one, at that episode's own unfinished position or 0).
 */
const contentDetails: Handler = async ({ pool, caller }, variables) => {
  const profileId = typeof variables.profileId === "string" ? variables.profileId : null;
  if (profileId && !caller) throw new FloorError("UNAUTHENTICATED");
  const { rows } = await pool.query<DetailsRow>(
    `WITH viewer AS (SELECT p.id FROM profiles p WHERE p.id = $2 AND p.user_id = $3),
     latest AS (
       SELECT wh.* FROM watch_history wh JOIN viewer v ON v.id = wh.profile_id
        WHERE wh.content_id = $1 ORDER BY wh.updated_at DESC, wh.id DESC LIMIT 1),
     nxt AS (
       SELECT e2.id, e2.number
         FROM latest l JOIN episodes e ON e.id = l.episode_id JOIN seasons s ON s.id = e.season_id
         JOIN episodes e2 ON e2.content_id = l.content_id JOIN seasons s2 ON s2.id = e2.season_id
        WHERE l.completed AND (s2.number, e2.number) > (s.number, e.number)
        ORDER BY s2.number, e2.number LIMIT 1)
     SELECT c.id, c.title, c.description, c.type, c.genres, c.release_year, c.maturity_rating, c.duration_minutes,
            c.rental_price_cents, c.rental_currency,
            (SELECT coalesce(json_agg(json_build_object('name', m.name, 'character', m.character) ORDER BY m.position, m.name), '[]')
               FROM cast_members m WHERE m.content_id = c.id) AS cast,
            (SELECT coalesce(json_agg(json_build_object('name', m.name, 'job', m.job) ORDER BY m.department, m.job, m.name), '[]')
               FROM crew_members m WHERE m.content_id = c.id) AS crew,
            (SELECT coalesce(json_agg(json_build_object('id', s.id, 'number', s.number, 'title', s.title, 'episodes',
                      (SELECT coalesce(json_agg(json_build_object('id', e.id, 'number', e.number, 'title', e.title, 'durationMinutes', e.duration_minutes) ORDER BY e.number), '[]')
                         FROM episodes e WHERE e.season_id = s.id)) ORDER BY s.number), '[]')
               FROM seasons s WHERE s.content_id = c.id) AS seasons,
            (SELECT coalesce(json_agg(json_build_object('language', t.language, 'format', t.format) ORDER BY t.language, t.format), '[]')
               FROM (SELECT DISTINCT f.language, f.format FROM subtitle_files f WHERE f.content_id = c.id) t) AS subtitles,
            (SELECT avg(r.rating)::float8 FROM ratings r WHERE r.content_id = c.id) AS average,
            (SELECT count(*)::int FROM ratings r WHERE r.content_id = c.id) AS rating_count,
            (SELECT coalesce(json_agg(json_build_object('id', t.id, 'rating', t.rating, 'body', t.body, 'createdAt', t.created,
                      'profile', json_build_object('name', t.name)) ORDER BY t.created_at DESC, t.id DESC), '[]')
               FROM (SELECT rv.id, r.rating, rv.body, rv.created_at, p.name,
                            to_char(rv.created_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created
                       FROM reviews rv JOIN ratings r ON r.id = rv.rating_id JOIN profiles p ON p.id = rv.profile_id
                      WHERE rv.content_id = c.id ORDER BY rv.created_at DESC, rv.id DESC LIMIT 5) t) AS reviews,
            EXISTS (SELECT 1 FROM viewer) AS viewer_ok,
            (SELECT json_build_object(
                      'positionSeconds', CASE WHEN nxt.id IS NULL THEN l.position_seconds ELSE coalesce(nh.position_seconds, 0) END,
                      'progressPercent', CASE WHEN nxt.id IS NULL THEN l.progress_percent ELSE coalesce(nh.progress_percent, 0) END,
                      'episode', CASE WHEN nxt.id IS NOT NULL THEN json_build_object('id', nxt.id, 'number', nxt.number)
                                      WHEN le.id IS NOT NULL THEN json_build_object('id', le.id, 'number', le.number) END)
               FROM latest l LEFT JOIN nxt ON TRUE
               LEFT JOIN watch_history nh ON nh.profile_id = l.profile_id AND nh.playable_id = nxt.id AND NOT nh.completed
               LEFT JOIN episodes le ON le.id = l.episode_id) AS progress
       FROM contents c
      WHERE c.id = $1 AND c.published_at IS NOT NULL`,
    [variables.id, profileId, caller?.userId ?? null],
  );
  const row = rows[0];
  if (!row) throw new FloorError("NOT_FOUND: Content");
  if (profileId && !row.viewer_ok) throw new FloorError("NOT_FOUND: Profile");
  return {
    content: {
      id: row.id,
      title: row.title,
      description: row.description,
      type: row.type,
      genres: row.genres,
      releaseYear: row.release_year,
      maturityRating: row.maturity_rating,
      durationMinutes: row.duration_minutes,
      cast: row.cast,
      crew: row.crew,
      seasons: row.seasons,
      subtitles: row.subtitles,
      averageRating: rounded(row.average),
      ratingCount: row.rating_count,
      reviews: row.reviews,
      rentalPrice:
        row.rental_price_cents === null || !row.rental_currency ? null : { amountCents: row.rental_price_cents, currency: row.rental_currency.toUpperCase() },
      progress: profileId ? (row.progress ?? null) : null,
    },
  };
};

/** The maturity ratings in order (packages/common/src/maturity.ts); a kids profile never goes above PG. */
const MATURITY_ORDER = ["G", "PG", "PG13", "R", "NC17"];

interface HomeRow {
  id: string;
  name: string;
  is_kids: boolean;
  maturity_rating: string;
  watchlist: { content: unknown; rating: string }[];
  continue_watching: unknown[];
  trending: { rank: number; content: { id: string; title: string; posterUrl: string | null; average: number | null; rentalPrice: unknown } }[];
  browse: unknown[];
}

/**
 * TvHome: two statements. The first reads the caller's profile (its maturity limit decides what the rest
 * shows); the second, every list of the screen filtered by that limit: the watchlist (newest first), continue
 * watching (the streaming subgraph's resume points, unfinished only, 10), trending (views of the last 7 UTC
 * days, 10, with ratings and rental prices) and the first 20 titles of the catalog.
 */
const tvHome: Handler = async ({ pool, caller }, variables) => {
  if (!caller) throw new FloorError("UNAUTHENTICATED");
  const profiles = await pool.query<Pick<HomeRow, "id" | "name" | "is_kids" | "maturity_rating">>(
    "SELECT id, name, is_kids, maturity_rating FROM profiles WHERE id = $1 AND user_id = $2",
    [variables.profileId, caller.userId],
  );
  const profile = profiles.rows[0];
  if (!profile) throw new FloorError("NOT_FOUND: Profile");
  const rank = MATURITY_ORDER.indexOf(profile.maturity_rating);
  const allowed = MATURITY_ORDER.slice(0, (profile.is_kids ? Math.min(rank, 1) : rank) + 1);
  const { rows } = await pool.query<Omit<HomeRow, "id" | "name" | "is_kids" | "maturity_rating">>(
    `WITH latest AS (
       SELECT DISTINCT ON (wh.content_id) wh.id, wh.profile_id, wh.content_id, wh.episode_id, wh.position_seconds,
              wh.progress_percent, wh.completed, wh.updated_at
         FROM watch_history wh WHERE wh.profile_id = $1
        ORDER BY wh.content_id, wh.updated_at DESC, wh.id DESC),
     resume AS (
       SELECT l.id, l.updated_at, c.id AS content_id, c.title, c.poster_url,
              coalesce(nxt.id, l.episode_id) AS episode_id,
              CASE WHEN nxt.id IS NULL THEN l.progress_percent ELSE coalesce(nh.progress_percent, 0) END AS progress_percent
         FROM latest l
         JOIN contents c ON c.id = l.content_id
         LEFT JOIN episodes e ON e.id = l.episode_id
         LEFT JOIN seasons s ON s.id = e.season_id
         LEFT JOIN LATERAL (
                SELECT e2.id FROM episodes e2 JOIN seasons s2 ON s2.id = e2.season_id
                 WHERE e2.content_id = l.content_id AND (s2.number, e2.number) > (s.number, e.number)
                 ORDER BY s2.number, e2.number LIMIT 1) nxt ON l.completed AND l.episode_id IS NOT NULL
         LEFT JOIN watch_history nh ON nh.profile_id = l.profile_id AND nh.playable_id = nxt.id AND NOT nh.completed
        WHERE c.maturity_rating::text = ANY($2) AND c.published_at IS NOT NULL AND (NOT l.completed OR nxt.id IS NOT NULL)
        ORDER BY l.updated_at DESC, l.id DESC LIMIT 10),
     views AS (
       SELECT d.content_id, sum(d.views)::int AS views
         FROM content_daily_views d JOIN contents c ON c.id = d.content_id
        WHERE d.day > (now() AT TIME ZONE 'UTC')::date - 7 AND c.published_at IS NOT NULL AND c.maturity_rating::text = ANY($2)
        GROUP BY d.content_id HAVING sum(d.views) > 0
        ORDER BY views DESC, d.content_id LIMIT 10)
     SELECT
       (SELECT coalesce(json_agg(json_build_object('content', json_build_object('id', c.id, 'title', c.title, 'posterUrl', c.poster_url))
                 ORDER BY w.added_at DESC, w.id DESC), '[]')
          FROM watchlist w JOIN contents c ON c.id = w.content_id
         WHERE w.profile_id = $1 AND c.published_at IS NOT NULL AND c.maturity_rating::text = ANY($2)) AS watchlist,
       (SELECT coalesce(json_agg(json_build_object(
                 'progressPercent', r.progress_percent,
                 'content', json_build_object('id', r.content_id, 'title', r.title, 'posterUrl', r.poster_url),
                 'episode', CASE WHEN e.id IS NULL THEN NULL
                                 ELSE json_build_object('id', e.id, 'number', e.number, 'season', json_build_object('number', s.number)) END)
                 ORDER BY r.updated_at DESC, r.id DESC), '[]')
          FROM resume r LEFT JOIN episodes e ON e.id = r.episode_id LEFT JOIN seasons s ON s.id = e.season_id) AS continue_watching,
       (SELECT coalesce(json_agg(json_build_object(
                 'rank', v.position, 'content', json_build_object('id', c.id, 'title', c.title, 'posterUrl', c.poster_url,
                   'average', (SELECT avg(r.rating)::float8 FROM ratings r WHERE r.content_id = c.id),
                   'rentalPrice', CASE WHEN c.rental_price_cents IS NULL OR c.rental_currency IS NULL THEN NULL
                                       ELSE json_build_object('amountCents', c.rental_price_cents, 'currency', upper(c.rental_currency)) END))
                 ORDER BY v.position), '[]')
          FROM (SELECT views.*, row_number() OVER (ORDER BY views DESC, content_id) AS position FROM views) v
          JOIN contents c ON c.id = v.content_id) AS trending,
       (SELECT coalesce(json_agg(json_build_object('node', json_build_object('id', b.id, 'title', b.title, 'genres', b.genres,
                 'maturityRating', b.maturity_rating, 'posterUrl', b.poster_url)) ORDER BY b.created_at DESC, b.id DESC), '[]')
          FROM (SELECT * FROM contents c WHERE c.published_at IS NOT NULL AND c.maturity_rating::text = ANY($2)
                 ORDER BY c.created_at DESC, c.id DESC LIMIT 20) b) AS browse`,
    [profile.id, allowed],
  );
  const lists = rows[0];
  if (!lists) throw new FloorError("no row");
  return {
    profile: { id: profile.id, name: profile.name, isKids: profile.is_kids, watchlist: lists.watchlist },
    continueWatching: lists.continue_watching,
    trending: lists.trending.map((item) => ({
      rank: item.rank,
      content: { id: item.content.id, title: item.content.title, posterUrl: item.content.posterUrl, averageRating: rounded(item.content.average), rentalPrice: item.content.rentalPrice },
    })),
    browse: { edges: lists.browse },
  };
};

export const SCREEN_QUERIES: Record<string, Handler> = { Browse: browse, Search: search, ContentDetails: contentDetails, TvHome: tvHome };
