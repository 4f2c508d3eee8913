// Test databases: every test file gets a database of its own, cloned from a migrated template, so that files
// run in parallel against the real PostgreSQL without seeing one another's rows.
//
// Templates are named by a hash of what builds them (the migrations, and for the seeded one the seed code),
// created once under an advisory lock, and reused by every later run until their inputs change.
import { createHash, randomUUID } from "node:crypto";
import { cp, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { createPrismaClient } from "../index.ts";
import { readTestDatabaseUrl } from "../config.ts";
import {
  applyMigrations,
  createDatabase,
  databaseExists,
  defaultPaths,
  dropDatabase,
  withDatabase,
} from "../migrate/index.ts";
import { withMaintenanceClient } from "../migrate/engine.ts";

/** Where test databases are created: TEST_DATABASE_URL's server (its database name is only a prefix). */
export function testServerUrl(): string {
  return readTestDatabaseUrl();
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

async function hashFiles(files: string[]): Promise<string> {
  const hash = createHash("sha256");
  for (const file of files) hash.update(file).update(await readFile(file));
  return hash.digest("hex").slice(0, 12);
}

const TEMPLATE_LOCK_KEY = 727_001;

/** Creates `name` with `build` unless it exists; concurrent runs wait for one another on an advisory lock. */
async function ensureTemplate(name: string, build: (url: string) => Promise<void>): Promise<string> {
  const url = withDatabase(testServerUrl(), name);
  if (await databaseExists(url)) return name;
  const lockClient = new pg.Client({ connectionString: withDatabase(testServerUrl(), "postgres") });
  await lockClient.connect();
  try {
    await lockClient.query("SELECT pg_advisory_lock($1)", [TEMPLATE_LOCK_KEY]);
    if (await databaseExists(url)) return name;
    // Build under a temporary name and rename at the end, so a half-built template is never used.
    const building = withDatabase(testServerUrl(), `${name}_building`);
    await dropDatabase(building);
    await build(building);
    await withMaintenanceClient(building, (client) =>
      client.query(`ALTER DATABASE "${name}_building" RENAME TO "${name}"`),
    );
    return name;
  } finally {
    await lockClient.query("SELECT pg_advisory_unlock($1)", [TEMPLATE_LOCK_KEY]).catch(() => undefined);
    await lockClient.end();
  }
}

/** The migrated, empty template. */
export async function migratedTemplate(): Promise<string> {
  const hash = await hashFiles(await filesUnder(defaultPaths.migrationsDir));
  return ensureTemplate(`wf_template_${hash}`, async (url) => {
    await applyMigrations({ databaseUrl: url, createIfMissing: true });
  });
}

/** The migrated template plus the default seed (500 titles, demo users, plans). */
export async function seededTemplate(): Promise<string> {
  const seedDir = path.join(path.dirname(defaultPaths.schemaPath), "../packages/db/src/seed");
  const hash = await hashFiles([...(await filesUnder(defaultPaths.migrationsDir)), ...(await filesUnder(seedDir))]);
  const base = await migratedTemplate();
  return ensureTemplate(`wf_seeded_${hash}`, async (url) => {
    await createDatabase(url, base);
    const { seed } = await import("../seed/index.ts");
    const db = createPrismaClient(url);
    try {
      await seed(db, {});
    } finally {
      await db.$disconnect();
    }
  });
}

export interface TestDatabase {
  url: string;
  db: PrismaClient;
  /** Disconnects and drops the database. */
  drop(): Promise<void>;
}

/** A fresh database for one test file: migrated, and seeded when asked. */
export async function createTestDatabase(options: { seeded?: boolean } = {}): Promise<TestDatabase> {
  const template = options.seeded ? await seededTemplate() : await migratedTemplate();
  const url = withDatabase(testServerUrl(), `wf_test_${randomUUID().replaceAll("-", "").slice(0, 16)}`);
  await createDatabase(url, template);
  const db = createPrismaClient(url);
  return {
    url,
    db,
    async drop() {
      await db.$disconnect();
      await dropDatabase(url);
    },
  };
}

/** An empty database (not even migrated), for tests of the migration tool itself. */
export async function createEmptyDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const url = withDatabase(testServerUrl(), `wf_test_${randomUUID().replaceAll("-", "").slice(0, 16)}`);
  await createDatabase(url);
  return { url, drop: () => dropDatabase(url) };
}

/** A copy of prisma/ in a temporary folder, with an empty database: for tests that change the schema or write migrations. */
export interface ScratchPrismaProject {
  /** The temporary folder (prisma/ inside; a generated client lands beside it). */
  folder: string;
  schemaPath: string;
  migrationsDir: string;
  databaseUrl: string;
  dispose(): Promise<void>;
}

export async function scratchPrismaProject(prefix: string): Promise<ScratchPrismaProject> {
  const folder = await mkdtemp(path.join(tmpdir(), prefix));
  await cp(path.dirname(defaultPaths.schemaPath), path.join(folder, "prisma"), { recursive: true });
  const database = await createEmptyDatabase();
  return {
    folder,
    schemaPath: path.join(folder, "prisma", "schema.prisma"),
    migrationsDir: path.join(folder, "prisma", "migrations"),
    databaseUrl: database.url,
    async dispose() {
      await database.drop();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
