// The generated catalog. `generateTitle(index)` is a pure function of the index: title 42 is the same on every
// run and whatever `--titles` is, so a bigger seed extends a smaller one and re-seeding finds the same ids.
import type { Prisma } from "../generated/prisma/client.ts";
import { ContentType, MaturityRating, SubtitleFormat, VideoQuality } from "../generated/prisma/enums.ts";
import { Random, stableUuid } from "./random.ts";
import {
  ADJECTIVES,
  CHARACTER_NAMES,
  DARK_NOUNS,
  DESCRIPTION_GOALS,
  DESCRIPTION_INCIDENTS,
  DESCRIPTION_STAKES,
  DESCRIPTION_SUBJECTS,
  DESCRIPTION_TAGS,
  DOC_FRAMES,
  DOC_TOPICS,
  EPISODE_WORDS,
  FIRST_NAMES,
  type Genre,
  KIDS_ADJECTIVES,
  KIDS_DESCRIPTIONS,
  KIDS_NOUNS,
  KIDS_QUESTS,
  LAST_NAMES,
  NOUNS,
  PLACES,
} from "./words.ts";

export const CDN_BASE_URL = "https://cdn.watchflixx.example";
/** Fixed reference instant of the catalog (publication dates are spread over the six years before it). */
export const CATALOG_EPOCH = Date.UTC(2026, 6, 1);

const DAY_MS = 24 * 60 * 60 * 1000;

export interface Playable {
  contentId: string;
  episodeId: string | null;
  durationSeconds: number;
}

// Row shapes of the catalog tables, exactly as inserted (see tables.ts for their columns).
export interface ContentRow {
  id: string;
  title: string;
  description: string;
  type: ContentType;
  genres: string[];
  releaseYear: number;
  maturityRating: MaturityRating;
  durationMinutes: number | null;
  posterUrl: string;
  backdropUrl: string;
  publishedAt: Date;
  rentalPriceCents: number | null;
  rentalCurrency: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface SeasonRow {
  id: string;
  contentId: string;
  number: number;
  title: string;
  releaseYear: number;
}

export interface EpisodeRow {
  id: string;
  seasonId: string;
  contentId: string;
  number: number;
  title: string;
  description: string;
  durationMinutes: number;
  airDate: Date;
}

export interface CastRow {
  id: string;
  contentId: string;
  name: string;
  character: string | null;
  position: number;
}

export interface CrewRow {
  id: string;
  contentId: string;
  name: string;
  job: string;
  department: string;
}

export interface VideoFileRow {
  id: string;
  contentId: string;
  episodeId: string | null;
  quality: VideoQuality;
  codec: string;
  manifestUrl: string;
  bitrateKbps: number;
  sizeBytes: bigint;
  durationSeconds: number;
}

export interface SubtitleFileRow {
  id: string;
  contentId: string;
  episodeId: string | null;
  language: string;
  format: SubtitleFormat;
  url: string;
}

/** `true` when every field of Row is a field of Prisma's create input with a compatible type. */
type MatchesPrisma<Row, Input> = Row extends Input ? ([Exclude<keyof Row, keyof Input>] extends [never] ? true : false) : false;

/** Compile-time check: renaming or retyping a catalog field in schema.prisma breaks the build here. */
export const ROW_TYPES_MATCH_PRISMA: [
  MatchesPrisma<ContentRow, Prisma.ContentCreateManyInput>,
  MatchesPrisma<SeasonRow, Prisma.SeasonCreateManyInput>,
  MatchesPrisma<EpisodeRow, Prisma.EpisodeCreateManyInput>,
  MatchesPrisma<CastRow, Prisma.CastMemberCreateManyInput>,
  MatchesPrisma<CrewRow, Prisma.CrewMemberCreateManyInput>,
  MatchesPrisma<VideoFileRow, Prisma.VideoFileCreateManyInput>,
  MatchesPrisma<SubtitleFileRow, Prisma.SubtitleFileCreateManyInput>,
] = [true, true, true, true, true, true, true];

export interface GeneratedTitle {
  index: number;
  content: ContentRow;
  seasons: SeasonRow[];
  episodes: EpisodeRow[];
  cast: CastRow[];
  crew: CrewRow[];
  videoFiles: VideoFileRow[];
  subtitleFiles: SubtitleFileRow[];
  /** What a profile can press play on: the film itself, or each episode in order. */
  playables: Playable[];
}

export function contentId(index: number): string {
  return stableUuid(`content:${index}`);
}

// The first titles cover every type and rating, so even `--titles 5` has one of each.
const COVERAGE_TYPES: readonly ContentType[] = [ContentType.MOVIE, ContentType.SERIES, ContentType.DOCUMENTARY];
const COVERAGE_RATINGS: readonly MaturityRating[] = [
  MaturityRating.G,
  MaturityRating.PG,
  MaturityRating.PG13,
  MaturityRating.R,
  MaturityRating.NC17,
];
const COVERAGE_GENRES: Readonly<Record<MaturityRating, Genre>> = {
  G: "Animation",
  PG: "Family",
  PG13: "Sci-Fi",
  R: "Crime",
  NC17: "Horror",
};

type RatingWeights = Partial<Record<MaturityRating, number>>;

const KIDS_RATINGS: RatingWeights = { G: 50, PG: 45, PG13: 5 };
const RATINGS_BY_GENRE: Readonly<Record<Genre, RatingWeights>> = {
  Animation: KIDS_RATINGS,
  Family: KIDS_RATINGS,
  Documentary: { G: 25, PG: 40, PG13: 30, R: 5 },
  Horror: { PG13: 25, R: 55, NC17: 20 },
  Crime: { PG13: 40, R: 50, NC17: 10 },
  Thriller: { PG13: 45, R: 45, NC17: 10 },
  Drama: { PG: 15, PG13: 45, R: 35, NC17: 5 },
  Comedy: { G: 5, PG: 30, PG13: 45, R: 20 },
  Romance: { PG: 25, PG13: 50, R: 22, NC17: 3 },
  "Sci-Fi": { PG: 20, PG13: 55, R: 25 },
  Action: { PG: 10, PG13: 60, R: 30 },
  Fantasy: { G: 5, PG: 30, PG13: 50, R: 15 },
  Adventure: { G: 10, PG: 40, PG13: 45, R: 5 },
  Mystery: { PG: 20, PG13: 50, R: 30 },
  History: { PG: 25, PG13: 50, R: 25 },
};

const PRIMARY_GENRE_WEIGHTS: Partial<Record<Genre, number>> = {
  Drama: 15,
  Comedy: 13,
  Animation: 10,
  Family: 9,
  Action: 9,
  Thriller: 8,
  "Sci-Fi": 7,
  Crime: 7,
  Romance: 6,
  Horror: 6,
  Fantasy: 5,
  Adventure: 5,
  Mystery: 3,
  History: 2,
};

const SECONDARY_GENRES: Readonly<Record<"kids" | "horror" | "documentary" | "general", readonly Genre[]>> = {
  kids: ["Animation", "Family", "Comedy", "Adventure", "Fantasy"],
  horror: ["Thriller", "Mystery", "Fantasy"],
  documentary: ["History", "Crime", "Family", "Adventure", "Drama"],
  general: ["Drama", "Comedy", "Thriller", "Sci-Fi", "Romance", "Action", "Crime", "Fantasy", "Mystery", "Adventure", "History"],
};

const QUALITIES = [
  { quality: VideoQuality.SD, codec: "h264", kbps: 1800, path: "sd" },
  { quality: VideoQuality.HD, codec: "h264", kbps: 5800, path: "hd" },
  { quality: VideoQuality.UHD, codec: "hevc", kbps: 16000, path: "uhd" },
] as const;

const CREW_EXTRAS = [
  { job: "Executive Producer", department: "Production" },
  { job: "Composer", department: "Sound" },
  { job: "Director of Photography", department: "Camera" },
  { job: "Editor", department: "Editing" },
  { job: "Casting Director", department: "Casting" },
  { job: "Production Designer", department: "Art" },
] as const;

const RENTAL_PRICES = [299, 399, 499, 599] as const;

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function personName(random: Random): string {
  return `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
}

function distinctPeople(random: Random, count: number): string[] {
  const names = new Set<string>();
  while (names.size < count) names.add(personName(random));
  return [...names];
}

type Flavor = "kids" | "horror" | "documentary" | "general";

function flavorOf(type: ContentType, primary: Genre): Flavor {
  if (type === ContentType.DOCUMENTARY) return "documentary";
  if (primary === "Animation" || primary === "Family") return "kids";
  if (primary === "Horror") return "horror";
  return "general";
}

function makeTitle(random: Random, flavor: Flavor, type: ContentType, topic: string): string {
  switch (flavor) {
    case "kids": {
      const adjective = random.pick(KIDS_ADJECTIVES);
      const noun = random.pick(KIDS_NOUNS);
      return random.pick([
        `The ${adjective} ${noun}`,
        `${adjective} ${noun}`,
        `${noun} and the ${random.pick(KIDS_QUESTS)}`,
        `${random.pick(FIRST_NAMES)} the ${noun}`,
        `The ${noun}'s ${random.pick(KIDS_QUESTS)}`,
      ]);
    }
    case "horror": {
      const noun = random.pick(DARK_NOUNS);
      return random.pick([
        `The ${noun}`,
        `${noun} at ${random.pick(PLACES)}`,
        `The ${random.pick(ADJECTIVES)} ${noun}`,
        `The ${noun} of ${random.pick(PLACES)}`,
      ]);
    }
    case "documentary": {
      return random.chance(0.7)
        ? `${random.pick(DOC_FRAMES)} ${topic}`
        : `${capitalize(topic)}: ${random.pick(ADJECTIVES)} ${random.pick(NOUNS)}`;
    }
    case "general": {
      const base = random.pick([
        `The ${random.pick(ADJECTIVES)} ${random.pick(NOUNS)}`,
        `${random.pick(NOUNS)} of ${random.pick(PLACES)}`,
        `${random.pick(ADJECTIVES)} ${random.pick(NOUNS)}`,
        `The ${random.pick(NOUNS)}`,
        `${random.pick(FIRST_NAMES)}'s ${random.pick(NOUNS)}`,
        `A ${random.pick(NOUNS)} in ${random.pick(PLACES)}`,
        `${random.pick(ADJECTIVES)} ${random.pick(PLACES)}`,
      ]);
      if (type === ContentType.MOVIE && random.chance(0.05)) return `${base} ${random.pick(["II", "III", "Returns"])}`;
      return base;
    }
  }
}

function makeDescription(random: Random, flavor: Flavor, type: ContentType, title: string, topic: string): string {
  switch (flavor) {
    case "kids":
      return `${random.pick(FIRST_NAMES)} the ${random.pick(KIDS_NOUNS).toLowerCase()} ${random.pick(KIDS_DESCRIPTIONS)}. ${
        type === ContentType.SERIES ? "A gentle series for the whole family." : "Fun for the whole family."
      }`;
    case "documentary":
      return (
        `Filmed over ${random.int(2, 9)} years across ${random.int(2, 6)} continents, ${title} follows the people ` +
        `who know ${topic} best. ${random.pick(DESCRIPTION_TAGS)}`
      );
    case "horror":
    case "general": {
      const story = `${capitalize(random.pick(DESCRIPTION_SUBJECTS))} ${random.pick(DESCRIPTION_INCIDENTS)} and ${random.pick(
        DESCRIPTION_GOALS,
      )} ${random.pick(DESCRIPTION_STAKES)}.`;
      const tag = flavor === "horror" ? "Some doors should stay closed." : random.pick(DESCRIPTION_TAGS);
      return type === ContentType.SERIES ? `${story} ${tag} A binge-worthy series.` : `${story} ${tag}`;
    }
  }
}

function filmMinutes(random: Random, type: ContentType, flavor: Flavor): number {
  if (type === ContentType.DOCUMENTARY) return random.int(48, 115);
  if (flavor === "kids") return random.int(72, 100);
  return random.int(84, 165);
}

function episodeMinutes(random: Random, primary: Genre, flavor: Flavor): number {
  if (flavor === "kids") return random.int(11, 24);
  if (primary === "Comedy") return random.int(21, 32);
  return random.int(40, 62);
}

function playableFiles(
  random: Random,
  key: string,
  ids: { contentId: string; episodeId: string | null },
  pathPrefix: string,
  durationSeconds: number,
  withSrt: boolean,
): { videoFiles: VideoFileRow[]; subtitleFiles: SubtitleFileRow[] } {
  const videoFiles = QUALITIES.map(({ quality, codec, kbps, path }): VideoFileRow => {
    const bitrateKbps = Math.round(kbps * (0.9 + random.float() * 0.2));
    return {
      id: stableUuid(`${key}:video:${quality}`),
      contentId: ids.contentId,
      episodeId: ids.episodeId,
      quality,
      codec,
      manifestUrl: `${CDN_BASE_URL}/video/${pathPrefix}/${path}/master.m3u8`,
      bitrateKbps,
      sizeBytes: (BigInt(bitrateKbps) * 1000n * BigInt(durationSeconds)) / 8n,
      durationSeconds,
    };
  });
  const subtitles: { language: string; format: SubtitleFormat }[] = [
    { language: "en", format: SubtitleFormat.VTT },
    { language: "es", format: SubtitleFormat.VTT },
  ];
  if (random.chance(0.75)) subtitles.push({ language: "fr", format: SubtitleFormat.VTT });
  if (withSrt) subtitles.push({ language: "en", format: SubtitleFormat.SRT });
  const subtitleFiles = subtitles.map(({ language, format }): SubtitleFileRow => ({
    id: stableUuid(`${key}:subtitle:${language}:${format}`),
    contentId: ids.contentId,
    episodeId: ids.episodeId,
    language,
    format,
    url: `${CDN_BASE_URL}/subtitles/${pathPrefix}/${language}.${format === SubtitleFormat.VTT ? "vtt" : "srt"}`,
  }));
  return { videoFiles, subtitleFiles };
}

function pad2(value: number): string {
  return String(value).padStart(2, "0");
}

export function generateTitle(index: number): GeneratedTitle {
  const key = `content:${index}`;
  const random = new Random(key);
  const id = contentId(index);

  const type = COVERAGE_TYPES[index] ?? random.weighted<ContentType>({ MOVIE: 55, SERIES: 30, DOCUMENTARY: 15 });
  const coverageRating = COVERAGE_RATINGS[index];
  const primary: Genre =
    type === ContentType.DOCUMENTARY
      ? "Documentary"
      : coverageRating
        ? COVERAGE_GENRES[coverageRating]
        : random.weighted<Genre>(PRIMARY_GENRE_WEIGHTS);
  const maturityRating = coverageRating ?? random.weighted<MaturityRating>(RATINGS_BY_GENRE[primary]);
  const flavor = flavorOf(type, primary);
  const extraGenres = random
    .sample(
      SECONDARY_GENRES[flavor].filter((genre) => genre !== primary),
      Number(random.weighted({ "0": 30, "1": 50, "2": 20 })),
    )
    .sort();
  const genres = [primary, ...extraGenres];

  const publishedMs = CATALOG_EPOCH - random.int(0, 6 * 365) * DAY_MS - random.int(0, 86_399) * 1000;
  const publishedAt = new Date(publishedMs);
  const publishedYear = publishedAt.getUTCFullYear();
  const releaseYear = Math.max(1960, publishedYear - Math.floor(Math.pow(random.float(), 2.5) * 60));

  const topic = random.pick(DOC_TOPICS);
  const title = makeTitle(random, flavor, type, topic);
  const description = makeDescription(random, flavor, type, title, topic);
  const isSeries = type === ContentType.SERIES;
  const durationMinutes = isSeries ? null : filmMinutes(random, type, flavor);

  let rentalPriceCents: number | null = null;
  if (!isSeries && (index === 0 || random.chance(0.35))) {
    rentalPriceCents = releaseYear >= publishedYear - 1 ? random.pick([499, 599]) : random.pick(RENTAL_PRICES);
  }

  const content: ContentRow = {
    id,
    title,
    description,
    type,
    genres,
    releaseYear,
    maturityRating,
    durationMinutes,
    posterUrl: `${CDN_BASE_URL}/posters/${id}.jpg`,
    backdropUrl: `${CDN_BASE_URL}/backdrops/${id}.jpg`,
    publishedAt,
    rentalPriceCents,
    rentalCurrency: rentalPriceCents === null ? null : "USD",
    // Browse pages are ordered by createdAt: give them the publication order rather than the insert instant.
    createdAt: publishedAt,
    updatedAt: publishedAt,
  };

  const result: GeneratedTitle = {
    index,
    content,
    seasons: [],
    episodes: [],
    cast: [],
    crew: [],
    videoFiles: [],
    subtitleFiles: [],
    playables: [],
  };

  if (isSeries) {
    const seasonCount = Number(random.weighted({ "1": 35, "2": 30, "3": 20, "4": 15 }));
    for (let seasonNumber = 1; seasonNumber <= seasonCount; seasonNumber += 1) {
      const seasonKey = `${key}:season:${seasonNumber}`;
      const seasonId = stableUuid(seasonKey);
      const seasonYear = Math.min(releaseYear + seasonNumber - 1, new Date(CATALOG_EPOCH).getUTCFullYear());
      result.seasons.push({ id: seasonId, contentId: id, number: seasonNumber, title: `Season ${seasonNumber}`, releaseYear: seasonYear });
      const premiere = Date.UTC(seasonYear, random.int(0, 10), random.int(1, 28), 20);
      const episodeCount = random.int(4, 10);
      for (let episodeNumber = 1; episodeNumber <= episodeCount; episodeNumber += 1) {
        const episodeKey = `${seasonKey}:episode:${episodeNumber}`;
        const episodeId = stableUuid(episodeKey);
        const minutes = episodeMinutes(random, primary, flavor);
        const episodeTitle =
          seasonNumber === 1 && episodeNumber === 1 && flavor !== "kids" ? "Pilot" : random.pick(EPISODE_WORDS);
        result.episodes.push({
          id: episodeId,
          seasonId,
          contentId: id,
          number: episodeNumber,
          title: flavor === "kids" ? `${random.pick(KIDS_NOUNS)} and the ${random.pick(KIDS_QUESTS)}` : episodeTitle,
          description:
            flavor === "kids"
              ? `${random.pick(FIRST_NAMES)} ${random.pick(KIDS_DESCRIPTIONS)}.`
              : `${capitalize(random.pick(DESCRIPTION_SUBJECTS))} ${random.pick(DESCRIPTION_INCIDENTS)}.`,
          durationMinutes: minutes,
          airDate: new Date(premiere + (episodeNumber - 1) * 7 * DAY_MS),
        });
        const files = playableFiles(
          random,
          episodeKey,
          { contentId: id, episodeId },
          `${id}/s${pad2(seasonNumber)}e${pad2(episodeNumber)}`,
          minutes * 60,
          false,
        );
        result.videoFiles.push(...files.videoFiles);
        result.subtitleFiles.push(...files.subtitleFiles);
        result.playables.push({ contentId: id, episodeId, durationSeconds: minutes * 60 });
      }
    }
  } else {
    const seconds = (durationMinutes ?? 90) * 60;
    const files = playableFiles(random, key, { contentId: id, episodeId: null }, id, seconds, true);
    result.videoFiles.push(...files.videoFiles);
    result.subtitleFiles.push(...files.subtitleFiles);
    result.playables.push({ contentId: id, episodeId: null, durationSeconds: seconds });
  }

  const isDocumentary = type === ContentType.DOCUMENTARY;
  const castNames = distinctPeople(random, random.int(3, 8));
  const characters = random.sample(CHARACTER_NAMES, castNames.length);
  castNames.forEach((name, position) => {
    result.cast.push({
      id: stableUuid(`${key}:cast:${position}`),
      contentId: id,
      name,
      character: isDocumentary ? (position === 0 ? "Narrator" : "Self") : (characters[position] ?? null),
      position,
    });
  });

  const crewRoles: { job: string; department: string }[] = [
    ...(isSeries ? [{ job: "Creator", department: "Writing" }] : []),
    { job: "Director", department: "Directing" },
    { job: "Writer", department: "Writing" },
    { job: "Producer", department: "Production" },
    ...random.sample(CREW_EXTRAS, random.int(0, 3)),
  ];
  const crewNames = distinctPeople(random, crewRoles.length);
  crewRoles.forEach((role, position) => {
    result.crew.push({
      id: stableUuid(`${key}:crew:${position}`),
      contentId: id,
      name: crewNames[position] ?? personName(random),
      job: role.job,
      department: role.department,
    });
  });

  return result;
}
