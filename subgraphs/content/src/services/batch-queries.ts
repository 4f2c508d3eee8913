// The batched reads behind the per-request DataLoaders: each is ONE query for all the keys of a batch.
// Lists come back ordered as clients see them; listLoader keeps that order within each key.
import type { PrismaClient, SubtitleFormat } from "@watchflixx/db";

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
