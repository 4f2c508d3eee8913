// Where a profile stands in each title it has played: the resume point behind continueWatching,
// Content.progress and startPlayback's default episode. One SQL statement answers any number of titles.
import { Prisma, type MaturityRating, type PrismaClient } from "@watchflixx/db";
import { pageSize, ratingsUpTo } from "@watchflixx/common";
import { providedContentKey, providedEpisodeKey, type ContentKey, type EpisodeKey } from "./refs.ts";
import type { StreamingReader, ViewerProfiles } from "./viewer.ts";

/** From this share of the running time on, a film or episode counts as watched. */
export const COMPLETED_AT_PERCENT = 90;

interface ResumeRow {
  contentId: string;
  title: string;
  posterUrl: string | null;
  episodeId: string | null;
  episodeNumber: number | null;
  seasonId: string | null;
  seasonNumber: number | null;
  positionSeconds: number;
  progressPercent: number;
  completed: boolean;
  updatedAt: Date;
  nextEpisodeId: string | null;
  nextEpisodeNumber: number | null;
  nextSeasonId: string | null;
  nextSeasonNumber: number | null;
  nextPositionSeconds: number | null;
  nextProgressPercent: number | null;
}

export interface ResumePoint {
  contentId: string;
  /** The title's name and poster (WatchProgress.content provides them: no content fetch for them). */
  title: string;
  posterUrl: string | null;
  /** The episode to resume with its number and its season's (WatchProgress.episode provides them); null for a film. */
  episode: { id: string; number: number; seasonId: string; seasonNumber: number } | null;
  positionSeconds: number;
  progressPercent: number;
  completed: boolean;
  updatedAt: Date;
}

/** A resume point as WatchProgress answers it (the title's and episode's provided fields with it). */
export interface ProgressView {
  positionSeconds: number;
  progressPercent: number;
  completed: boolean;
  updatedAt: Date;
  content: ContentKey;
  episode: EpisodeKey | null;
}

interface ResumeQuery {
  profileId: string;
  /** Only these titles (all the profile has played when absent). */
  contentIds?: readonly string[];
  /** Leave out titles above this limit and unpublished ones. */
  maturityLimit?: MaturityRating;
  /** Leave out finished films and series whose last episode is finished (continue watching). */
  unfinishedOnly?: boolean;
  limit?: number;
}

/** An episode of a resume row (its columns come from one join: all null for a film, none null for an episode). */
function resumeEpisode(id: string | null, number: number | null, seasonId: string | null, seasonNumber: number | null): ResumePoint["episode"] {
  if (id === null) return null;
  if (number === null || seasonId === null || seasonNumber === null) throw new Error(`episode ${id} without its season`);
  return { id, number, seasonId, seasonNumber };
}

/**
 * Per title, the profile's most recently updated film/episode. A finished episode resumes at the next one
 * (the next episode number in its season, else the first of the next season), at that episode's own saved
 * position if it has an unfinished one, else at 0. Most recent first.
 */
async function resumePoints(db: Pick<PrismaClient, "$queryRaw">, query: ResumeQuery): Promise<ResumePoint[]> {
  const conditions: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (query.maturityLimit) {
    conditions.push(Prisma.sql`c.maturity_rating::text = ANY(${ratingsUpTo(query.maturityLimit)}::text[])`);
    conditions.push(Prisma.sql`c.published_at IS NOT NULL`);
  }
  if (query.unfinishedOnly) conditions.push(Prisma.sql`(NOT l.completed OR nxt.id IS NOT NULL)`);
  const onlyContent = query.contentIds ? Prisma.sql`AND wh.content_id = ANY(${[...query.contentIds]}::text[])` : Prisma.empty;
  const limit = query.limit === undefined ? Prisma.empty : Prisma.sql`LIMIT ${query.limit}`;

  const rows = await db.$queryRaw<ResumeRow[]>`
    WITH latest AS (
      SELECT DISTINCT ON (wh.content_id)
             wh.id, wh.profile_id, wh.content_id, wh.episode_id, wh.position_seconds, wh.progress_percent,
             wh.completed, wh.updated_at
        FROM watch_history wh
       WHERE wh.profile_id = ${query.profileId} ${onlyContent}
       ORDER BY wh.content_id, wh.updated_at DESC, wh.id DESC
    )
    SELECT l.content_id AS "contentId", c.title, c.poster_url AS "posterUrl", l.episode_id AS "episodeId",
           e.number AS "episodeNumber", s.id AS "seasonId", s.number AS "seasonNumber", l.position_seconds AS "positionSeconds",
           l.progress_percent AS "progressPercent", l.completed, l.updated_at AS "updatedAt",
           nxt.id AS "nextEpisodeId", nxt.number AS "nextEpisodeNumber", nxt.season_id AS "nextSeasonId",
           nxt.season_number AS "nextSeasonNumber", nh.position_seconds AS "nextPositionSeconds",
           nh.progress_percent AS "nextProgressPercent"
      FROM latest l
      JOIN contents c ON c.id = l.content_id
      LEFT JOIN episodes e ON e.id = l.episode_id
      LEFT JOIN seasons s ON s.id = e.season_id
      LEFT JOIN LATERAL (
             SELECT e2.id, e2.number, s2.id AS season_id, s2.number AS season_number
               FROM episodes e2
               JOIN seasons s2 ON s2.id = e2.season_id
              WHERE e2.content_id = l.content_id AND (s2.number, e2.number) > (s.number, e.number)
              ORDER BY s2.number, e2.number
              LIMIT 1
           ) nxt ON l.completed AND l.episode_id IS NOT NULL
      LEFT JOIN watch_history nh ON nh.profile_id = l.profile_id AND nh.playable_id = nxt.id AND NOT nh.completed
     WHERE ${Prisma.join(conditions, " AND ")}
     ORDER BY l.updated_at DESC, l.id DESC
     ${limit}`;

  return rows.map((row) =>
    row.nextEpisodeId
      ? {
          contentId: row.contentId,
          title: row.title,
          posterUrl: row.posterUrl,
          episode: resumeEpisode(row.nextEpisodeId, row.nextEpisodeNumber, row.nextSeasonId, row.nextSeasonNumber),
          positionSeconds: row.nextPositionSeconds ?? 0,
          progressPercent: row.nextProgressPercent ?? 0,
          completed: false,
          updatedAt: row.updatedAt,
        }
      : {
          contentId: row.contentId,
          title: row.title,
          posterUrl: row.posterUrl,
          episode: resumeEpisode(row.episodeId, row.episodeNumber, row.seasonId, row.seasonNumber),
          positionSeconds: row.positionSeconds,
          progressPercent: row.progressPercent,
          completed: row.completed,
          updatedAt: row.updatedAt,
        },
  );
}

function toProgressView(point: ResumePoint): ProgressView {
  return {
    positionSeconds: point.positionSeconds,
    progressPercent: point.progressPercent,
    completed: point.completed,
    updatedAt: point.updatedAt,
    content: providedContentKey({ id: point.contentId, title: point.title, posterUrl: point.posterUrl }),
    episode: point.episode && providedEpisodeKey(point.episode),
  };
}

/** The resume points of several titles for one profile (the batch function behind `Content.progress`). */
export function resumePointsFor(db: Pick<PrismaClient, "$queryRaw">, profileId: string, contentIds: readonly string[]): Promise<ResumePoint[]> {
  return resumePoints(db, { profileId, contentIds });
}

/** The resume point of one title, or null when the profile never played it. */
export async function resumePointOf(db: Pick<PrismaClient, "$queryRaw">, profileId: string, contentId: string): Promise<ResumePoint | null> {
  return (await resumePoints(db, { profileId, contentIds: [contentId] }))[0] ?? null;
}

export class ProgressService {
  constructor(
    private readonly db: PrismaClient,
    private readonly viewers: ViewerProfiles,
  ) {}

  /** Unfinished titles of the caller's profile, most recent first, within the profile's own maturity limit. */
  async continueWatching(reader: StreamingReader, profileId: string, first: number | null | undefined): Promise<ProgressView[]> {
    const limit = pageSize(first);
    const profile = await this.viewers.of(reader, profileId);
    if (limit === 0) return [];
    const points = await resumePoints(this.db, {
      profileId: profile.id,
      maturityLimit: profile.maturityLimit,
      unfinishedOnly: true,
      limit,
    });
    return points.map(toProgressView);
  }

  /**
   * `Content.progress(profileId)`: null without a profileId or when never played; the caller's own profile only.
   * Batched: every title of the request asked about the same profile is answered by one query.
   */
  async progressOf(reader: StreamingReader, contentId: string, profileId: string | null | undefined): Promise<ProgressView | null> {
    if (!profileId) return null;
    const profile = await this.viewers.of(reader, profileId);
    const point = await reader.loaders.progress.load({ profileId: profile.id, contentId });
    return point ? toProgressView(point) : null;
  }
}

/** Progress of a position within a running time: percent with one decimal, completed from 90 %. */
export function measureProgress(positionSeconds: number, durationSeconds: number): { progressPercent: number; completed: boolean } {
  const ratio = durationSeconds > 0 ? Math.min(positionSeconds / durationSeconds, 1) : 0;
  const progressPercent = Math.round(ratio * 1000) / 10;
  return { progressPercent, completed: ratio * 100 >= COMPLETED_AT_PERCENT };
}
