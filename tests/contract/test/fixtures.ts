// Titles to exercise the contract with, picked (read only) from the seeded catalog so that each test gets
// titles with the properties it needs: unrated, rentable, a series with episodes, a given maturity rating.
import type { MaturityRating, PrismaClient } from "@watchflixx/db";

export interface Title {
  id: string;
  title: string;
  maturityRating: MaturityRating;
  durationMinutes: number | null;
  rentalPriceCents: number | null;
}

export interface Titles {
  /** A PG-13 film nobody has rated, not rentable. */
  film: Title;
  /** An R film. */
  adultFilm: Title;
  /** A G film, for the kids profile and the party. */
  familyFilm: Title;
  /** A PG-13 series with episodes. */
  series: Title;
  /** Two rentable films. */
  rentable: Title;
  rentableToo: Title;
}

const SELECT = { id: true, title: true, maturityRating: true, durationMinutes: true, rentalPriceCents: true } as const;

export async function pickTitles(db: PrismaClient): Promise<Titles> {
  const taken: string[] = [];
  const pick = async (what: string, where: Parameters<PrismaClient["content"]["findFirst"]>[0]): Promise<Title> => {
    const found = await db.content.findFirst({
      ...where,
      where: { ...where?.where, publishedAt: { not: null }, id: { notIn: taken }, videoFiles: { some: {} } },
      orderBy: { title: "asc" },
      select: SELECT,
    });
    if (!found) throw new Error(`the seed has no ${what}`);
    taken.push(found.id);
    return found;
  };
  const unwatched = { ratings: { none: {} }, reviews: { none: {} }, dailyViews: { none: {} }, analytics: null, watchHistory: { none: {} } };
  return {
    film: await pick("unrated PG-13 film", { where: { type: "MOVIE", maturityRating: "PG13", rentalPriceCents: null, ...unwatched } }),
    adultFilm: await pick("R film", { where: { type: "MOVIE", maturityRating: "R", ...unwatched } }),
    familyFilm: await pick("G film", { where: { type: "MOVIE", maturityRating: "G", ...unwatched } }),
    series: await pick("PG-13 series", {
      where: { type: "SERIES", maturityRating: "PG13", episodes: { some: { videoFiles: { some: {} } } }, ...unwatched },
    }),
    rentable: await pick("rentable film", { where: { type: "MOVIE", rentalPriceCents: { not: null }, ...unwatched } }),
    rentableToo: await pick("second rentable film", { where: { type: "MOVIE", rentalPriceCents: { not: null }, ...unwatched } }),
  };
}

/** The maturity ratings of titles by id (to check what a restricted profile was given). */
export async function ratingsOf(db: PrismaClient, ids: readonly string[]): Promise<Map<string, MaturityRating>> {
  const rows = await db.content.findMany({ where: { id: { in: [...ids] } }, select: { id: true, maturityRating: true } });
  return new Map(rows.map((row) => [row.id, row.maturityRating]));
}

export const UP_TO_PG: readonly MaturityRating[] = ["G", "PG"];
