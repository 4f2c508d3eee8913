import { readdir, readFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, defaultPaths, diffMigrationsToSchema, migrationStatus } from "../src/migrate/index.ts";
import { createEmptyDatabase } from "../src/testing/index.ts";

// Facts the schema declares, read from schema.prisma itself so that the test follows the schema.
async function declaredSchema() {
  const text = await readFile(defaultPaths.schemaPath, "utf8");
  const mapped = (kind: string) =>
    [...text.matchAll(new RegExp(`^${kind} \\w+ \\{[^}]*@@map\\("([a-z_]+)"\\)`, "gm"))].map((m) => m[1]);
  const tables = mapped("model");
  const enumBlocks = mapped("enum");
  const relations = [...text.matchAll(/@relation\(fields: \[/g)].length;
  return { tables, enums: enumBlocks, relations };
}

describe("offline migrations with the wasm schema engine", () => {
  let database: { url: string; drop(): Promise<void> };
  let client: pg.Client;

  beforeAll(async () => {
    database = await createEmptyDatabase();
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await database.drop();
  });

  it("migrates an empty database and records the migration as the native CLI does", async () => {
    const folders = (await readdir(defaultPaths.migrationsDir, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    const applied = await applyMigrations({ databaseUrl: database.url });
    expect(applied).toEqual(folders);

    const rows = await client.query(
      "SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name",
    );
    expect(rows.rows.map((r) => r.migration_name)).toEqual(folders);
    for (const row of rows.rows) {
      const sql = await readFile(path.join(defaultPaths.migrationsDir, row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
  });

  it("creates every table, enum, foreign key and index the schema declares", async () => {
    const declared = await declaredSchema();
    expect(declared.tables.length).toBeGreaterThanOrEqual(35);

    const tables = await client.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
    const tableNames = tables.rows.map((r) => r.tablename);
    for (const table of declared.tables) expect(tableNames).toContain(table);

    const enums = await client.query("SELECT typname FROM pg_type WHERE typtype = 'e'");
    const enumNames = enums.rows.map((r) => r.typname);
    for (const name of declared.enums) expect(enumNames).toContain(name);

    const fks = await client.query("SELECT count(*)::int AS n FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace");
    expect(fks.rows[0].n).toBe(declared.relations);

    const indexes = await client.query("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'");
    const byName = new Map(indexes.rows.map((r) => [r.indexname as string, r.indexdef as string]));
    expect(byName.get("contents_search_vector_idx")).toMatch(/USING gin/);
    expect(byName.get("service_events_processed_by_idx")).toMatch(/USING gin/);
    expect(byName.get("users_email_key")).toMatch(/UNIQUE/);
    expect(byName.get("watch_history_profile_id_playable_id_key")).toMatch(/UNIQUE/);

    // Every model carries optimistic-locking and sync columns.
    const missing = await client.query(`
      SELECT t.tablename FROM pg_tables t
      WHERE t.schemaname = 'public' AND t.tablename <> '_prisma_migrations'
        AND (NOT EXISTS (SELECT 1 FROM information_schema.columns c WHERE c.table_name = t.tablename AND c.column_name = 'version')
          OR NOT EXISTS (SELECT 1 FROM information_schema.columns c WHERE c.table_name = t.tablename AND c.column_name = 'synced_at'))`);
    expect(missing.rows).toEqual([]);
  });

  it("keeps the full-text search document current through its trigger", async () => {
    const result = await client.query(
      `INSERT INTO contents (id, title, description, type, genres, release_year, maturity_rating, updated_at)
       VALUES ('c1', 'Ocean Pilots', 'Submarine crews at war', 'MOVIE', '{Thriller}', 1999, 'PG13', now())
       RETURNING search_vector @@ plainto_tsquery('english', 'submarine') AS matches`,
    );
    expect(result.rows[0].matches).toBe(true);
  });

  it("applies nothing the second time and reports a clean status", async () => {
    const before = await client.query("SELECT count(*)::int AS n FROM _prisma_migrations");
    expect(await applyMigrations({ databaseUrl: database.url })).toEqual([]);
    const after = await client.query("SELECT count(*)::int AS n FROM _prisma_migrations");
    expect(after.rows[0].n).toBe(before.rows[0].n);
    const status = await migrationStatus({ databaseUrl: database.url });
    expect(status).toEqual({ hasMigrationsTable: true, pending: [], edited: [], failed: [], unknownToFolder: [] });
  });

  it("finds schema.prisma and the committed migrations in agreement", async () => {
    const drift = await diffMigrationsToSchema({ databaseUrl: database.url });
    expect(drift.changed).toBe(false);
  });

  it("leaves no shadow database behind", async () => {
    const shadows = await client.query("SELECT datname FROM pg_database WHERE datname LIKE 'prisma_migrate_shadow_db_%'");
    expect(shadows.rows).toEqual([]);
  });
});

describe("creating migrations and detecting drift", () => {
  it("reports a schema change no migration makes, and writes it as a new migration", async () => {
    const { mkdtemp, cp, writeFile: write, rm } = await import("node:fs/promises");
    const os = await import("node:os");
    const scratch = await mkdtemp(path.join(os.tmpdir(), "wf-migrate-"));
    const database = await createEmptyDatabase();
    try {
      const migrationsDir = path.join(scratch, "migrations");
      await cp(defaultPaths.migrationsDir, migrationsDir, { recursive: true });
      const schemaPath = path.join(scratch, "schema.prisma");
      const schema = await readFile(defaultPaths.schemaPath, "utf8");
      await write(schemaPath, `${schema}\nmodel Coupon {\n  code String @id\n  percentOff Int @map("percent_off")\n  version Int @default(1)\n  syncedAt DateTime @default(now()) @map("synced_at")\n\n  @@map("coupons")\n}\n`);

      const drift = await diffMigrationsToSchema({ databaseUrl: database.url, schemaPath, migrationsDir });
      expect(drift.changed).toBe(true);
      expect(drift.script).toContain('CREATE TABLE "coupons"');

      const { createMigration } = await import("../src/migrate/index.ts");
      const folder = await createMigration({
        databaseUrl: database.url,
        schemaPath,
        migrationsDir,
        name: "Add coupons",
        now: new Date("2030-01-02T03:04:05Z"),
      });
      expect(folder).toBe("20300102030405_add_coupons");
      expect(await readFile(path.join(migrationsDir, folder!, "migration.sql"), "utf8")).toContain('CREATE TABLE "coupons"');
      expect((await diffMigrationsToSchema({ databaseUrl: database.url, schemaPath, migrationsDir })).changed).toBe(false);

      const applied = await applyMigrations({ databaseUrl: database.url, schemaPath, migrationsDir });
      expect(applied.at(-1)).toBe("20300102030405_add_coupons");
    } finally {
      await database.drop();
      await rm(scratch, { recursive: true, force: true });
    }
  });
});
