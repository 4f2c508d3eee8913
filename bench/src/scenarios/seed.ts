// 4. Seed speed: the deterministic catalog seed into a fresh migrated database, per catalog size.
import { seed } from "@watchflixx/db/seed";
import { createTestDatabase } from "@watchflixx/db/testing";
import { fixed, integer, table } from "../stats.ts";

export interface SeedFigure {
  titles: number;
  ms: number;
  catalogRows: number;
  episodes: number;
  databaseMs: number;
}

export async function runSeed(sizes: readonly number[], log: (line: string) => void): Promise<SeedFigure[]> {
  const figures: SeedFigure[] = [];
  for (const titles of sizes) {
    const databaseStarted = performance.now();
    const database = await createTestDatabase();
    const databaseMs = performance.now() - databaseStarted;
    try {
      const started = performance.now();
      const summary = await seed(database.db, { titles });
      const ms = performance.now() - started;
      figures.push({ titles, ms, catalogRows: summary.catalogRowsInserted, episodes: summary.episodes, databaseMs });
      log(`  seed(db, { titles: ${titles} }): ${fixed(ms / 1000, 2)} s, ${integer(summary.catalogRowsInserted)} catalog rows`);
    } finally {
      await database.drop();
    }
  }
  return figures;
}

export function seedTable(figures: readonly SeedFigure[]): string {
  return table(
    ["titles", "seed time", "catalog rows", "episodes", "titles/s", "rows/s", "empty migrated DB (clone)"],
    figures.map((figure) => [
      integer(figure.titles),
      `${fixed(figure.ms / 1000, 2)} s`,
      integer(figure.catalogRows),
      integer(figure.episodes),
      integer((figure.titles / figure.ms) * 1000),
      integer((figure.catalogRows / figure.ms) * 1000),
      `${integer(figure.databaseMs)} ms`,
    ]),
  );
}
