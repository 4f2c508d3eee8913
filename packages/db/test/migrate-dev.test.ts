// The design's feature workflow on a scratch copy of prisma/: edit schema.prisma, `db:migrate` writes a
// migration for the change, applies it and regenerates the client; `db:reset` in production wants --force.
import { spawnSync } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MigrationError } from "../src/migrate/index.ts";
import { generatePrismaClient, migrateDev } from "../src/migrate/develop.ts";
import { createEmptyDatabase, scratchPrismaProject, type ScratchPrismaProject } from "../src/testing/index.ts";

const repoRoot = path.resolve(import.meta.dirname, "../../..");

// A model nobody has yet: what a feature branch adds to schema.prisma.
const NEW_MODEL = `
model WatchPartyTheme {
  id      String @id @default(uuid()) @db.Uuid
  name    String
  version Int    @default(1)

  @@map("watch_party_themes")
}
`;

describe("pnpm db:migrate in development (prisma migrate dev)", () => {
  let project: ScratchPrismaProject;
  let scratch: string;
  let schemaPath: string;
  let migrationsDir: string;
  let database: { url: string };

  beforeAll(async () => {
    project = await scratchPrismaProject("wf-migrate-dev-");
    ({ folder: scratch, schemaPath, migrationsDir } = project);
    database = { url: project.databaseUrl };
  });
  afterAll(() => project.dispose());

  it("creates a named migration for a schema change, applies it and regenerates the client", async () => {
    const before = (await readdir(migrationsDir)).filter((name) => !name.endsWith(".toml"));
    // Up to date first: nothing to create, every existing migration applied.
    const generated: string[] = [];
    const first = await migrateDev({ databaseUrl: database.url, schemaPath, migrationsDir, generate: (schema) => generated.push(schema) });
    expect(first.created).toBeNull();
    expect(first.applied).toEqual(before.sort());

    await writeFile(schemaPath, `${await readFile(schemaPath, "utf8")}\n${NEW_MODEL}`);
    const second = await migrateDev({
      databaseUrl: database.url,
      schemaPath,
      migrationsDir,
      askName: async () => "add party themes",
      generate: generatePrismaClient,
    });
    expect(second.created).toMatch(/^\d{14}_add_party_themes$/);
    expect(second.applied).toEqual([second.created]);
    const sql = await readFile(path.join(migrationsDir, second.created!, "migration.sql"), "utf8");
    expect(sql).toContain('CREATE TABLE "watch_party_themes"');

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const table = await client.query("SELECT to_regclass('public.watch_party_themes') AS t");
      expect(table.rows[0].t).toBe("watch_party_themes");
    } finally {
      await client.end();
    }
    // The generator's output is relative to the schema: the scratch copy got its own client with the model.
    const models = path.join(scratch, "packages/db/src/generated/prisma/models/WatchPartyTheme.ts");
    expect(existsSync(models)).toBe(true);
    expect(generated).toEqual([schemaPath]);
  });

  it("refuses to guess a name when schema.prisma changed and nobody can be asked", async () => {
    await writeFile(schemaPath, `${await readFile(schemaPath, "utf8")}\nmodel Sticker {\n  id String @id @db.Uuid\n\n  @@map("stickers")\n}\n`);
    const folders = await readdir(migrationsDir);
    await expect(migrateDev({ databaseUrl: database.url, schemaPath, migrationsDir, generate: () => {} })).rejects.toThrow(MigrationError);
    await expect(migrateDev({ databaseUrl: database.url, schemaPath, migrationsDir, generate: () => {} })).rejects.toThrow(/--name/);
    expect(await readdir(migrationsDir)).toEqual(folders);
  });
});

describe("pnpm db:reset in production", () => {
  it("refuses without --force and leaves the database alone", async () => {
    const database = await createEmptyDatabase();
    try {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      await client.query("CREATE TABLE keep_me (id int)");
      await client.end();
      const result = spawnSync("pnpm", ["db:reset", "--skip-seed"], {
        cwd: repoRoot,
        env: { ...process.env, NODE_ENV: "production", DATABASE_URL: database.url },
        encoding: "utf8",
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/Refusing to reset .*NODE_ENV=production.*--force/);
      const check = new pg.Client({ connectionString: database.url });
      await check.connect();
      const table = await check.query("SELECT to_regclass('public.keep_me') AS t");
      await check.end();
      expect(table.rows[0].t).toBe("keep_me");
    } finally {
      await database.drop();
    }
  });

  it("asks first in a terminal, and drops nothing when the answer is no", async () => {
    const database = await createEmptyDatabase();
    try {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      await client.query("CREATE TABLE keep_me (id int)");
      await client.end();
      // `script` gives the command a terminal (util-linux); the answer is typed on its standard input.
      const result = spawnSync("script", ["-qec", "pnpm db:reset --skip-seed", "/dev/null"], {
        cwd: repoRoot,
        env: { ...process.env, NODE_ENV: "development", DATABASE_URL: database.url },
        input: "n\n",
        encoding: "utf8",
      });
      expect(result.stdout).toContain(`Drop and recreate ${new URL(database.url).pathname.slice(1)}`);
      expect(result.stdout).toContain("Nothing dropped.");
      const check = new pg.Client({ connectionString: database.url });
      await check.connect();
      const table = await check.query("SELECT to_regclass('public.keep_me') AS t");
      await check.end();
      expect(table.rows[0].t).toBe("keep_me");
    } finally {
      await database.drop();
    }
  });
});
