// The floor's screens: hand-written SQL, one statement per screen where the data allows, shaped in JS into the
// supergraph's JSON (same fields, order, rounding and cursors as the subgraphs produce).
import type pg from "pg";

export interface FloorContext {
  pool: pg.Pool;
}

type Handler = (context: FloorContext, variables: Record<string, unknown>) => Promise<unknown>;

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

export const SCREEN_QUERIES: Record<string, Handler> = { Browse: browse, Search: search };
