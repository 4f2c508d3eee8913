// Column lists of the catalog tables for bulkInsert: database names from prisma/schema.prisma's @map/@@map.
// Columns with database defaults the seed does not set (version, synced_at, created_at of child rows) are
// left to PostgreSQL; `contents.search_vector` is maintained by the migration's trigger and never written.
import { isoOrNull, type BulkTable } from "./bulk.ts";
import type { CastRow, ContentRow, CrewRow, EpisodeRow, SeasonRow, SubtitleFileRow, VideoFileRow } from "./catalog.ts";

/** Genre names hold no "|", so a genre list travels as one delimited text value per row. */
const GENRE_DELIMITER = "|";

export const CONTENTS: BulkTable<ContentRow> = {
  table: "contents",
  columns: [
    { name: "id", type: "text", value: (row) => row.id },
    { name: "title", type: "text", value: (row) => row.title },
    { name: "description", type: "text", value: (row) => row.description },
    { name: "type", type: "content_type", value: (row) => row.type },
    {
      name: "genres",
      type: "text",
      value: (row) => row.genres.join(GENRE_DELIMITER),
      expression: (v) => `string_to_array(${v}, '${GENRE_DELIMITER}')`,
    },
    { name: "release_year", type: "int4", value: (row) => row.releaseYear },
    { name: "maturity_rating", type: "maturity_rating", value: (row) => row.maturityRating },
    { name: "duration_minutes", type: "int4", value: (row) => row.durationMinutes },
    { name: "poster_url", type: "text", value: (row) => row.posterUrl },
    { name: "backdrop_url", type: "text", value: (row) => row.backdropUrl },
    { name: "published_at", type: "timestamp(3)", value: (row) => isoOrNull(row.publishedAt) },
    { name: "rental_price_cents", type: "int4", value: (row) => row.rentalPriceCents },
    { name: "rental_currency", type: "text", value: (row) => row.rentalCurrency },
    { name: "created_at", type: "timestamp(3)", value: (row) => isoOrNull(row.createdAt) },
    { name: "updated_at", type: "timestamp(3)", value: (row) => isoOrNull(row.updatedAt) },
  ],
};

export const SEASONS: BulkTable<SeasonRow> = {
  table: "seasons",
  columns: [
    { name: "id", type: "text", value: (row) => row.id },
    { name: "content_id", type: "text", value: (row) => row.contentId },
    { name: "number", type: "int4", value: (row) => row.number },
    { name: "title", type: "text", value: (row) => row.title },
    { name: "release_year", type: "int4", value: (row) => row.releaseYear },
  ],
};

export const EPISODES: BulkTable<EpisodeRow> = {
  table: "episodes",
  columns: [
    { name: "id", type: "text", value: (row) => row.id },
    { name: "season_id", type: "text", value: (row) => row.seasonId },
    { name: "content_id", type: "text", value: (row) => row.contentId },
    { name: "number", type: "int4", value: (row) => row.number },
    { name: "title", type: "text", value: (row) => row.title },
    { name: "description", type: "text", value: (row) => row.description },
    { name: "duration_minutes", type: "int4", value: (row) => row.durationMinutes },
    { name: "air_date", type: "timestamp(3)", value: (row) => isoOrNull(row.airDate) },
  ],
};

export const CAST_MEMBERS: BulkTable<CastRow> = {
  table: "cast_members",
  columns: [
    { name: "id", type: "text", value: (row) => row.id },
    { name: "content_id", type: "text", value: (row) => row.contentId },
    { name: "name", type: "text", value: (row) => row.name },
    { name: "character", type: "text", value: (row) => row.character },
    { name: "position", type: "int4", value: (row) => row.position },
  ],
};

export const CREW_MEMBERS: BulkTable<CrewRow> = {
  table: "crew_members",
  columns: [
    { name: "id", type: "text", value: (row) => row.id },
    { name: "content_id", type: "text", value: (row) => row.contentId },
    { name: "name", type: "text", value: (row) => row.name },
    { name: "job", type: "text", value: (row) => row.job },
    { name: "department", type: "text", value: (row) => row.department },
  ],
};

export const VIDEO_FILES: BulkTable<VideoFileRow> = {
  table: "video_files",
  columns: [
    { name: "id", type: "text", value: (row) => row.id },
    { name: "content_id", type: "text", value: (row) => row.contentId },
    { name: "episode_id", type: "text", value: (row) => row.episodeId },
    { name: "quality", type: "video_quality", value: (row) => row.quality },
    { name: "codec", type: "text", value: (row) => row.codec },
    { name: "manifest_url", type: "text", value: (row) => row.manifestUrl },
    { name: "bitrate_kbps", type: "int4", value: (row) => row.bitrateKbps },
    { name: "size_bytes", type: "int8", value: (row) => row.sizeBytes.toString() },
    { name: "duration_seconds", type: "int4", value: (row) => row.durationSeconds },
  ],
};

export const SUBTITLE_FILES: BulkTable<SubtitleFileRow> = {
  table: "subtitle_files",
  columns: [
    { name: "id", type: "text", value: (row) => row.id },
    { name: "content_id", type: "text", value: (row) => row.contentId },
    { name: "episode_id", type: "text", value: (row) => row.episodeId },
    { name: "language", type: "text", value: (row) => row.language },
    { name: "format", type: "subtitle_format", value: (row) => row.format },
    { name: "url", type: "text", value: (row) => row.url },
  ],
};
