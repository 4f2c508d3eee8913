// `pnpm db:migrate` in development, as `prisma migrate dev` does: when schema.prisma asks for changes no
// migration makes yet, write a migration for them (named by --name, or asked for), apply every pending
// migration, then regenerate the Prisma client. `db:deploy` stays apply-only (applyMigrations).
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { applyMigrations, createMigration, diffMigrationsToSchema, defaultPaths, MigrationError, type MigrateOptions } from "./index.ts";
import { findRepositoryRoot } from "../paths.ts";
import { environmentWith } from "../config.ts";

export interface MigrateDevOptions extends MigrateOptions {
  /** The new migration's name (`--name`). */
  name?: string;
  /** Asked when schema.prisma has changes and no name was given; absent: refuse (not interactive). */
  askName?: () => Promise<string>;
  /** Regenerates the Prisma client (default: `prisma generate` on `schemaPath`). */
  generate?: (schemaPath: string) => void;
  now?: Date;
}

export interface MigrateDevResult {
  /** The folder of the migration written for schema.prisma's changes, or null when there were none. */
  created: string | null;
  applied: string[];
}

/** `prisma generate` on the given schema (the schema engine binary is not needed to generate: see TOOLCHAIN). */
export function generatePrismaClient(schemaPath: string = defaultPaths.schemaPath): void {
  const cli = createRequire(import.meta.url).resolve("prisma/build/index.js");
  const result = spawnSync(process.execPath, [cli, "generate", "--schema", schemaPath], {
    cwd: findRepositoryRoot(import.meta.url),
    env: environmentWith({ PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false" }),
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new MigrationError(`prisma generate failed:\n${(result.stderr || result.stdout || String(result.error)).trim()}`);
  }
}

export async function migrateDev(options: MigrateDevOptions): Promise<MigrateDevResult> {
  let created: string | null = null;
  const drift = await diffMigrationsToSchema(options);
  if (drift.changed) {
    const name = options.name?.trim() || (options.askName ? (await options.askName()).trim() : "");
    if (!name) {
      throw new MigrationError("schema.prisma has changes no migration makes yet: name the new migration, e.g. `pnpm db:migrate --name add_watch_parties`.");
    }
    created = await createMigration({ ...options, name, ...(options.now ? { now: options.now } : {}) });
  }
  const applied = await applyMigrations({ ...options, createIfMissing: true });
  (options.generate ?? generatePrismaClient)(options.schemaPath ?? defaultPaths.schemaPath);
  return { created, applied };
}
