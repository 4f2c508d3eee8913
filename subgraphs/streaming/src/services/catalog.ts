// Read-only look-ups in the content subgraph's tables (titles, episodes, video files): what a title is, who
// may see it, how long it runs and which rendition to stream. Streaming never writes these tables.
import type { ContentType, MaturityRating, PrismaClient, VideoQuality } from "@watchflixx/db";
import { BadUserInputError, ForbiddenError, NotFoundError, qualityRank, type Identity } from "@watchflixx/common";

type Db = Pick<PrismaClient, "content" | "episode" | "videoFile">;

export interface CatalogTitle {
  id: string;
  title: string;
  posterUrl: string | null;
  type: ContentType;
  maturityRating: MaturityRating;
  durationMinutes: number | null;
}

/** A published title (unpublished ones exist for staff only), or NOT_FOUND. */
export async function findTitle(db: Db, identity: Identity | null, contentId: string): Promise<CatalogTitle> {
  const title = await db.content.findUnique({
    where: { id: contentId },
    select: { id: true, title: true, posterUrl: true, type: true, maturityRating: true, durationMinutes: true, publishedAt: true },
  });
  if (!title || (title.publishedAt === null && identity?.role !== "STAFF")) throw new NotFoundError("Content");
  return {
    id: title.id,
    title: title.title,
    posterUrl: title.posterUrl,
    type: title.type,
    maturityRating: title.maturityRating,
    durationMinutes: title.durationMinutes,
  };
}

export function isSeries(title: CatalogTitle): boolean {
  return title.type === "SERIES";
}

/** An episode of this series, or NOT_FOUND (also for an episode of another title). */
export async function findEpisodeOf(db: Db, contentId: string, episodeId: string): Promise<{ id: string; durationMinutes: number }> {
  const episode = await db.episode.findUnique({ where: { id: episodeId }, select: { id: true, contentId: true, durationMinutes: true } });
  if (!episode || episode.contentId !== contentId) throw new NotFoundError("Episode");
  return { id: episode.id, durationMinutes: episode.durationMinutes };
}

/** Season 1, episode 1 (strictly: the lowest season and episode numbers), or null for a series without episodes. */
export async function firstEpisodeOf(db: Db, contentId: string): Promise<string | null> {
  const episode = await db.episode.findFirst({
    where: { contentId },
    orderBy: [{ season: { number: "asc" } }, { number: "asc" }],
    select: { id: true },
  });
  return episode?.id ?? null;
}

/** The playable item of a title: a film itself, or one of a series' episodes (required for a series). */
export function requirePlayableShape(title: CatalogTitle, episodeId: string | null | undefined): void {
  if (!isSeries(title) && episodeId) throw new BadUserInputError("This title has no episodes.", "episodeId");
}

export interface Rendition {
  manifestUrl: string;
  quality: VideoQuality;
  durationSeconds: number;
}

/**
 * The best rendition of a film or episode that `maxQuality` allows. A title with no video files is NOT_FOUND;
 * one encoded only above the limit is FORBIDDEN (never served above what was paid for).
 */
export async function pickRendition(db: Db, contentId: string, episodeId: string | null, maxQuality: VideoQuality): Promise<Rendition> {
  const files = await db.videoFile.findMany({
    where: { contentId, episodeId },
    select: { manifestUrl: true, quality: true, durationSeconds: true, bitrateKbps: true },
  });
  if (files.length === 0) throw new NotFoundError("Video");
  const limit = qualityRank(maxQuality);
  const byPreference = [...files].sort(
    (a, b) => qualityRank(b.quality) - qualityRank(a.quality) || b.bitrateKbps - a.bitrateKbps,
  );
  const chosen = byPreference.find((file) => qualityRank(file.quality) <= limit);
  if (!chosen) throw new ForbiddenError(`This title is not available at ${maxQuality} quality or below.`);
  return { manifestUrl: chosen.manifestUrl, quality: chosen.quality, durationSeconds: chosen.durationSeconds };
}

/**
 * How long a film or episode runs, in seconds: the longest of its video files, else its catalog running time.
 * Null only when the catalog knows neither.
 */
export async function playableDurationSeconds(db: Db, contentId: string, episodeId: string | null): Promise<number | null> {
  const files = await db.videoFile.aggregate({ where: { contentId, episodeId }, _max: { durationSeconds: true } });
  if (files._max.durationSeconds) return files._max.durationSeconds;
  if (episodeId) {
    const episode = await db.episode.findUnique({ where: { id: episodeId }, select: { durationMinutes: true } });
    return episode ? episode.durationMinutes * 60 : null;
  }
  const content = await db.content.findUnique({ where: { id: contentId }, select: { durationMinutes: true } });
  return content?.durationMinutes ? content.durationMinutes * 60 : null;
}
