// The deterministic seed: plans, a generated catalog of `titles` titles, demo users and their activity.
// Every row has an id derived from a stable key; catalog rows go in through bulk inserts that skip existing ids
// (bulk.ts: createMany's skipDuplicates, faster) and demo rows are upserted on their natural keys, so running
// it again leaves the same rows.
import type { PrismaClient } from "../generated/prisma/client.ts";
import { ContentType } from "../generated/prisma/enums.ts";
import { generateTitle, type GeneratedTitle } from "./catalog.ts";
import { bulkInsert } from "./bulk.ts";
import { seedDemo, seedPlans, type DemoSummary } from "./demo.ts";
import { CAST_MEMBERS, CONTENTS, CREW_MEMBERS, EPISODES, SEASONS, SUBTITLE_FILES, VIDEO_FILES } from "./tables.ts";

export { generateTitle, contentId, CDN_BASE_URL, CATALOG_EPOCH, type GeneratedTitle } from "./catalog.ts";
export { DEMO_PASSWORD, DEMO_USERS, PLANS } from "./demo.ts";
export { stableUuid, mulberry32, Random } from "./random.ts";

export const DEFAULT_TITLES = 500;
/** Titles generated and inserted together; a few batches are in flight at once. */
const TITLES_PER_BATCH = 250;
const BATCHES_IN_FLIGHT = 4;
/** The demo data only points at titles among the first ones, so it is the same whatever the catalog size. */
const DEMO_TITLE_POOL = 300;

export interface SeedOptions {
  /** Number of catalog titles (default 500). */
  titles?: number;
  log?: (line: string) => void;
  /** The instant the relative dates (subscription period, daily views, history) hang off. Defaults to now. */
  now?: Date;
}

export interface SeedSummary extends DemoSummary {
  plans: number;
  titles: number;
  movies: number;
  series: number;
  documentaries: number;
  seasons: number;
  episodes: number;
  castMembers: number;
  crewMembers: number;
  videoFiles: number;
  subtitleFiles: number;
  /** Catalog rows this run actually inserted (0 on a re-run over an already seeded catalog). */
  catalogRowsInserted: number;
  durationMs: number;
}

interface CatalogCounts {
  titles: number;
  movies: number;
  series: number;
  documentaries: number;
  seasons: number;
  episodes: number;
  castMembers: number;
  crewMembers: number;
  videoFiles: number;
  subtitleFiles: number;
  catalogRowsInserted: number;
}

/** Inserts one batch of titles, parents before children (the foreign keys need that order). */
async function insertBatch(db: PrismaClient, batch: readonly GeneratedTitle[]): Promise<number> {
  const contents = await bulkInsert(db, CONTENTS, batch.map((title) => title.content));
  const seasons = await bulkInsert(db, SEASONS, batch.flatMap((title) => title.seasons));
  const episodes = await bulkInsert(db, EPISODES, batch.flatMap((title) => title.episodes));
  const leaves = await Promise.all([
    bulkInsert(db, CAST_MEMBERS, batch.flatMap((title) => title.cast)),
    bulkInsert(db, CREW_MEMBERS, batch.flatMap((title) => title.crew)),
    bulkInsert(db, VIDEO_FILES, batch.flatMap((title) => title.videoFiles)),
    bulkInsert(db, SUBTITLE_FILES, batch.flatMap((title) => title.subtitleFiles)),
  ]);
  return contents + seasons + episodes + leaves.reduce((sum, count) => sum + count, 0);
}

async function seedCatalog(db: PrismaClient, titles: number, log: (line: string) => void): Promise<CatalogCounts> {
  const counts: CatalogCounts = {
    titles: 0,
    movies: 0,
    series: 0,
    documentaries: 0,
    seasons: 0,
    episodes: 0,
    castMembers: 0,
    crewMembers: 0,
    videoFiles: 0,
    subtitleFiles: 0,
    catalogRowsInserted: 0,
  };
  const batchCount = Math.ceil(titles / TITLES_PER_BATCH);
  const reportEvery = Math.max(1, Math.ceil(batchCount / 10));
  let nextBatch = 0;
  let finishedBatches = 0;
  const started = Date.now();

  const worker = async (): Promise<void> => {
    while (nextBatch < batchCount) {
      const batchIndex = nextBatch;
      nextBatch += 1;
      const first = batchIndex * TITLES_PER_BATCH;
      const last = Math.min(first + TITLES_PER_BATCH, titles);
      const batch: GeneratedTitle[] = [];
      for (let index = first; index < last; index += 1) {
        const title = generateTitle(index);
        batch.push(title);
        counts.titles += 1;
        if (title.content.type === ContentType.MOVIE) counts.movies += 1;
        else if (title.content.type === ContentType.SERIES) counts.series += 1;
        else counts.documentaries += 1;
        counts.seasons += title.seasons.length;
        counts.episodes += title.episodes.length;
        counts.castMembers += title.cast.length;
        counts.crewMembers += title.crew.length;
        counts.videoFiles += title.videoFiles.length;
        counts.subtitleFiles += title.subtitleFiles.length;
      }
      const inserted = await insertBatch(db, batch);
      counts.catalogRowsInserted += inserted;
      finishedBatches += 1;
      if (finishedBatches % reportEvery === 0 || finishedBatches === batchCount) {
        const done = Math.min(finishedBatches * TITLES_PER_BATCH, titles);
        log(`catalog: ${done}/${titles} titles (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(BATCHES_IN_FLIGHT, batchCount) }, () => worker()));
  return counts;
}

export async function seed(db: PrismaClient, options: SeedOptions = {}): Promise<SeedSummary> {
  const titles = options.titles ?? DEFAULT_TITLES;
  if (!Number.isSafeInteger(titles) || titles < 1) throw new Error(`seed: titles must be a positive integer, got ${titles}`);
  const log = options.log ?? (() => {});
  const now = (options.now ?? new Date()).getTime();
  const started = Date.now();

  const planIds = await seedPlans(db);
  log(`plans: ${Object.keys(planIds).join(", ")}`);

  const catalog = await seedCatalog(db, titles, log);
  log(`catalog: ${catalog.catalogRowsInserted} new rows`);

  const demoTitles = Array.from({ length: Math.min(titles, DEMO_TITLE_POOL) }, (_, index) => generateTitle(index));
  const demo = await seedDemo(db, planIds, demoTitles, now);
  log(
    `demo: ${demo.users} users, ${demo.profiles} profiles, ${demo.watchHistory} history rows, ` +
      `${demo.contentDailyViews} daily-view rows`,
  );

  // Planner statistics for the rows just written: without them PostgreSQL scans whole tables instead of
  // using the content_id indexes (databases cloned from a seeded template inherit them too).
  await db.$executeRawUnsafe("ANALYZE");

  return { plans: Object.keys(planIds).length, ...catalog, ...demo, durationMs: Date.now() - started };
}
