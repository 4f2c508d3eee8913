// Per-request DataLoaders: entity references and nested lists are fetched with one query per batch, so a page
// of 100 titles asking for seasons, episodes, cast, crew and subtitles costs one query per field, not 100.
import type { PrismaClient } from "@watchflixx/db";
import { listLoader, rowLoader } from "@watchflixx/common";
import {
  fetchCastOfContents,
  fetchContents,
  fetchCrewOfContents,
  fetchEpisodes,
  fetchEpisodesOfSeasons,
  fetchPublishedEpisodes,
  fetchPublishedSeasons,
  fetchSeasons,
  fetchSeasonsOfContents,
  fetchSubtitleTracksOfContents,
} from "./services/batch-queries.ts";

export function createLoaders(db: PrismaClient) {
  return {
    content: rowLoader((ids: readonly string[]) => fetchContents(db, ids), (row) => row.id),
    season: rowLoader((ids: readonly string[]) => fetchSeasons(db, ids), (row) => row.id),
    episode: rowLoader((ids: readonly string[]) => fetchEpisodes(db, ids), (row) => row.id),
    publishedSeason: rowLoader((ids: readonly string[]) => fetchPublishedSeasons(db, ids), (row) => row.id),
    publishedEpisode: rowLoader((ids: readonly string[]) => fetchPublishedEpisodes(db, ids), (row) => row.id),
    seasonsOfContent: listLoader((ids: readonly string[]) => fetchSeasonsOfContents(db, ids), (row) => row.contentId),
    episodesOfSeason: listLoader((ids: readonly string[]) => fetchEpisodesOfSeasons(db, ids), (row) => row.seasonId),
    castOfContent: listLoader((ids: readonly string[]) => fetchCastOfContents(db, ids), (row) => row.contentId),
    crewOfContent: listLoader((ids: readonly string[]) => fetchCrewOfContents(db, ids), (row) => row.contentId),
    subtitlesOfContent: listLoader((ids: readonly string[]) => fetchSubtitleTracksOfContents(db, ids), (row) => row.contentId),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
