// The batched reads behind the per-request DataLoaders: each is ONE query for all the keys of a batch.
// Lists come back ordered as clients see them; listLoader keeps that order within each key.
import { Prisma, type CastMember, type Content, type CrewMember, type Episode, type PrismaClient, type Season, type SubtitleFormat } from "@watchflixx/db";

type Db = Pick<PrismaClient, "content" | "season" | "episode" | "castMember" | "crewMember" | "subtitleFile">;

export function fetchContents(db: Db, ids: readonly string[]) {
  return db.content.findMany({ where: { id: { in: [...ids] } } });
}

export function fetchSeasons(db: Db, ids: readonly string[]) {
  return db.season.findMany({ where: { id: { in: [...ids] } } });
}

export function fetchEpisodes(db: Db, ids: readonly string[]) {
  return db.episode.findMany({ where: { id: { in: [...ids] } } });
}

/** Seasons of published titles only: one query, the visibility check included (for non-staff references). */
export function fetchPublishedSeasons(db: Db, ids: readonly string[]) {
  return db.season.findMany({ where: { id: { in: [...ids] }, content: { publishedAt: { not: null } } } });
}

/** Episodes of published titles only, in one query. */
export function fetchPublishedEpisodes(db: Db, ids: readonly string[]) {
  return db.episode.findMany({ where: { id: { in: [...ids] }, content: { publishedAt: { not: null } } } });
}

export function fetchSeasonsOfContents(db: Db, contentIds: readonly string[]) {
  return db.season.findMany({ where: { contentId: { in: [...contentIds] } }, orderBy: { number: "asc" } });
}

export function fetchEpisodesOfSeasons(db: Db, seasonIds: readonly string[]) {
  return db.episode.findMany({ where: { seasonId: { in: [...seasonIds] } }, orderBy: { number: "asc" } });
}

export function fetchCastOfContents(db: Db, contentIds: readonly string[]) {
  return db.castMember.findMany({
    where: { contentId: { in: [...contentIds] } },
    orderBy: [{ position: "asc" }, { name: "asc" }],
  });
}

export function fetchCrewOfContents(db: Db, contentIds: readonly string[]) {
  return db.crewMember.findMany({
    where: { contentId: { in: [...contentIds] } },
    orderBy: [{ department: "asc" }, { job: "asc" }, { name: "asc" }],
  });
}

export interface SubtitleTrackRow {
  contentId: string;
  language: string;
  format: SubtitleFormat;
}

/**
 * The distinct (language, format) pairs of each title's subtitle files, the film's own and its episodes'
 * alike (episodes' files carry the series' content id): a GROUP BY in the database, not a scan of every file.
 */
export async function fetchSubtitleTracksOfContents(db: Db, contentIds: readonly string[]): Promise<SubtitleTrackRow[]> {
  const groups = await db.subtitleFile.groupBy({
    by: ["contentId", "language", "format"],
    where: { contentId: { in: [...contentIds] } },
    orderBy: [{ language: "asc" }, { format: "asc" }],
  });
  return groups.map(({ contentId, language, format }) => ({ contentId, language, format }));
}

/** What of a title's own lists a `content(id)` query selects (read with the title in one statement). */
export interface DetailParts {
  seasons: boolean;
  episodes: boolean;
  cast: boolean;
  crew: boolean;
  subtitles: boolean;
}

export interface ContentDetails {
  content: Content;
  seasons?: Season[];
  episodes?: Episode[];
  cast?: CastMember[];
  crew?: CrewMember[];
  subtitles?: SubtitleTrackRow[];
}

type JsonRow = Record<string, unknown>;

/** A `timestamp(3)` (UTC, no zone) as json_build_object prints it, read the way Prisma reads the column. */
function utc(value: unknown): Date {
  const text = String(value);
  return new Date(/(Z|[+-]\d\d:?\d\d)$/.test(text) ? text : `${text}Z`);
}

function utcOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : utc(value);
}

/**
 * One title with the lists a details screen asks for, in ONE statement (each list a JSON aggregate in the
 * order its loader gives): seasons, episodes, cast, crew and subtitle tracks cost no round trip of their own.
 * Rows come back in the loaders' shapes, so the caller can prime them. Null when no such title.
 */
export async function fetchContentDetails(db: Pick<PrismaClient, "$queryRaw">, id: string, parts: DetailParts): Promise<ContentDetails | null> {
  // Each wanted list is a LATERAL aggregate joined to the title; an unwanted one is a NULL column.
  const lists: [string, boolean, Prisma.Sql][] = [
    ["seasons", parts.seasons, Prisma.sql`SELECT coalesce(json_agg(json_build_object('id', s.id, 'contentId', s.content_id, 'number', s.number,
        'title', s.title, 'releaseYear', s.release_year, 'createdAt', s.created_at, 'version', s.version, 'syncedAt', s.synced_at)
        ORDER BY s.number), '[]'::json) AS list
      FROM seasons s WHERE s.content_id = c.id`],
    ["episodes", parts.seasons && parts.episodes, Prisma.sql`SELECT coalesce(json_agg(json_build_object('id', e.id, 'seasonId', e.season_id,
        'contentId', e.content_id, 'number', e.number, 'title', e.title, 'description', e.description,
        'durationMinutes', e.duration_minutes, 'airDate', e.air_date, 'createdAt', e.created_at, 'version', e.version,
        'syncedAt', e.synced_at) ORDER BY e.number), '[]'::json) AS list
      FROM episodes e WHERE e.content_id = c.id`],
    ["cast", parts.cast, Prisma.sql`SELECT coalesce(json_agg(json_build_object('id', m.id, 'contentId', m.content_id, 'name', m.name,
        'character', m.character, 'position', m.position, 'version', m.version, 'syncedAt', m.synced_at)
        ORDER BY m.position, m.name), '[]'::json) AS list
      FROM cast_members m WHERE m.content_id = c.id`],
    ["crew", parts.crew, Prisma.sql`SELECT coalesce(json_agg(json_build_object('id', m.id, 'contentId', m.content_id, 'name', m.name,
        'job', m.job, 'department', m.department, 'version', m.version, 'syncedAt', m.synced_at)
        ORDER BY m.department, m.job, m.name), '[]'::json) AS list
      FROM crew_members m WHERE m.content_id = c.id`],
    ["subtitles", parts.subtitles, Prisma.sql`SELECT coalesce(json_agg(json_build_object('contentId', t.content_id, 'language', t.language,
        'format', t.format) ORDER BY t.language, t.format), '[]'::json) AS list
      FROM (SELECT DISTINCT f.content_id, f.language, f.format::text AS format FROM subtitle_files f WHERE f.content_id = c.id) t`],
  ];
  const columns = lists.map(([name, wanted]) => (wanted ? Prisma.sql`${Prisma.raw(`"l_${name}".list`)} AS ${Prisma.raw(`"${name}"`)}` : Prisma.sql`NULL::json AS ${Prisma.raw(`"${name}"`)}`));
  const joins = lists
    .filter(([, wanted]) => wanted)
    .map(([name, , query]) => Prisma.sql`LEFT JOIN LATERAL (${query}) ${Prisma.raw(`"l_${name}"`)} ON TRUE`);
  const rows = await db.$queryRaw<(Content & { seasons: JsonRow[] | null; episodes: JsonRow[] | null; cast: JsonRow[] | null; crew: JsonRow[] | null; subtitles: JsonRow[] | null })[]>`
    SELECT c.id, c.title, c.description, c.type::text AS "type", c.genres, c.release_year AS "releaseYear",
           c.maturity_rating::text AS "maturityRating", c.duration_minutes AS "durationMinutes", c.poster_url AS "posterUrl",
           c.backdrop_url AS "backdropUrl", c.published_at AS "publishedAt", c.rental_price_cents AS "rentalPriceCents",
           c.rental_currency AS "rentalCurrency", c.created_at AS "createdAt", c.updated_at AS "updatedAt", c.version,
           c.synced_at AS "syncedAt", ${Prisma.join(columns)}
      FROM contents c
      ${joins.length > 0 ? Prisma.join(joins, "\n      ") : Prisma.empty}
     WHERE c.id = ${id}`;
  const row = rows[0];
  if (!row) return null;
  const { seasons, episodes, cast, crew, subtitles, ...content } = row;
  return {
    content: content as Content,
    ...(seasons && {
      seasons: seasons.map((s) => ({ ...(s as Omit<Season, "createdAt" | "syncedAt">), createdAt: utc(s.createdAt), syncedAt: utc(s.syncedAt) })),
    }),
    ...(episodes && {
      episodes: episodes.map((e) => ({
        ...(e as Omit<Episode, "airDate" | "createdAt" | "syncedAt">),
        airDate: utcOrNull(e.airDate),
        createdAt: utc(e.createdAt),
        syncedAt: utc(e.syncedAt),
      })),
    }),
    ...(cast && { cast: cast.map((m) => ({ ...(m as Omit<CastMember, "syncedAt">), syncedAt: utc(m.syncedAt) })) }),
    ...(crew && { crew: crew.map((m) => ({ ...(m as Omit<CrewMember, "syncedAt">), syncedAt: utc(m.syncedAt) })) }),
    ...(subtitles && { subtitles: subtitles as unknown as SubtitleTrackRow[] }),
  };
}
