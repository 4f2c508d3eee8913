// The seed command's work, apart from its entry point (cli.ts): `pnpm db:reset` (packages/db/src/cli/migrate.ts)
// calls `runSeedCli` after recreating the database. Kept out of cli.ts so that a bundle of the migrate CLI
// (dist/migrate.mjs) does not carry cli.ts's "am I the entry point?" check, which is true inside any bundle.
import { PrismaPg } from "@prisma/adapter-pg";
import { DEFAULT_DATABASE_URL, databaseUrlFromEnvironment } from "../config.ts";
import { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import { DEFAULT_TITLES, seed, type SeedSummary } from "./index.ts";

export const USAGE = `usage: pnpm db:seed [--titles N]   (default ${DEFAULT_TITLES} titles; DATABASE_URL defaults to ${DEFAULT_DATABASE_URL})`;

export class UsageError extends Error {}

/** Parses `--titles N` / `--titles=N`; returns null for `--help`. */
export function parseSeedArgs(argv: readonly string[]): { titles: number } | null {
  let titles = DEFAULT_TITLES;
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] ?? "";
    let value: string | undefined;
    if (argument === "--titles") {
      value = argv[index + 1];
      index += 1;
    } else if (argument.startsWith("--titles=")) {
      value = argument.slice("--titles=".length);
    } else if (argument === "--help" || argument === "-h") {
      return null;
    } else if (argument === "--") {
      continue;
    } else {
      throw new UsageError(`unknown argument: ${argument}`);
    }
    if (value === undefined || !/^[1-9]\d{0,6}$/.test(value)) {
      throw new UsageError(`--titles needs a positive integer, got ${value ?? "nothing"}`);
    }
    titles = Number(value);
  }
  return { titles };
}

export function formatSummary(summary: SeedSummary): string {
  return (
    `Seeded in ${(summary.durationMs / 1000).toFixed(1)} s: ${summary.titles} titles ` +
    `(${summary.movies} movies, ${summary.series} series, ${summary.documentaries} documentaries), ` +
    `${summary.seasons} seasons, ${summary.episodes} episodes, ${summary.castMembers} cast, ${summary.crewMembers} crew, ` +
    `${summary.videoFiles} video files, ${summary.subtitleFiles} subtitle files, ${summary.plans} plans, ` +
    `${summary.users} users, ${summary.profiles} profiles; ${summary.catalogRowsInserted} catalog rows new this run`
  );
}

/**
 * Seeds DATABASE_URL with the given arguments and prints the one-line summary (progress goes to stderr).
 * Does not exit the process: the caller does (pg pools keep Node alive for a while otherwise).
 */
export async function runSeedCli(argv: readonly string[]): Promise<SeedSummary | null> {
  const args = parseSeedArgs(argv);
  if (!args) {
    console.log(USAGE);
    return null;
  }
  const connectionString = databaseUrlFromEnvironment();
  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString }) });
  try {
    const summary = await seed(db, { titles: args.titles, log: (line) => console.error(`seed: ${line}`) });
    console.log(formatSummary(summary));
    return summary;
  } finally {
    await db.$disconnect();
  }
}

/** A one-line explanation for the failures a developer can fix themselves; null for anything else. */
export function explainSeedError(error: unknown): string | null {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return null;
  const lastLine = error.message.trim().split("\n").at(-1) ?? error.message;
  switch (error.code) {
    case "P1001":
      return `${lastLine}. Is PostgreSQL running, and is DATABASE_URL right?`;
    case "P1003":
      return `${lastLine}. Create and migrate it first: pnpm db:migrate`;
    case "P2021":
      return `${lastLine} The database is not migrated: run pnpm db:migrate first.`;
    default:
      return null;
  }
}
