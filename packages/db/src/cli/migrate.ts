// `pnpm db:migrate [--name <name>] | db:deploy | db:migrate:create <name> | db:check | db:reset [--force] | db:status`, and
// `wait [--timeout <s>]` (a Kubernetes init container: exit 0 once the database has every migration of this build).
// Exits explicitly: pg pools would otherwise keep Node alive for a while after the engine is done.
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import {
  applyMigrations,
  createMigration,
  diffMigrationsToSchema,
  migrationStatus,
  MigrationError,
  resetDatabase,
  waitForMigrations,
} from "../migrate/index.ts";
import { migrateDev } from "../migrate/develop.ts";
import { readDatabaseUrl, readNodeEnv } from "../config.ts";
import { resetRefusal } from "./guard.ts";

const [command, ...rest] = process.argv.slice(2);
const { values: flags, positionals: args } = parseArgs({
  args: rest,
  options: { name: { type: "string" }, force: { type: "boolean", default: false }, "skip-seed": { type: "boolean", default: false } },
  allowPositionals: true,
});

const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);

async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

async function run(): Promise<number> {
  const databaseUrl = readDatabaseUrl();
  switch (command) {
    case "apply":
      if (readNodeEnv() !== "production") {
        // Development: like `prisma migrate dev` (create a migration for schema changes, apply, generate).
        const result = await migrateDev({
          databaseUrl,
          ...(flags.name ? { name: flags.name } : {}),
          ...(interactive ? { askName: () => ask("schema.prisma has changes no migration makes yet. Name of the new migration: ") } : {}),
        });
        if (result.created) console.log(`Created prisma/migrations/${result.created}/migration.sql`);
        console.log(result.applied.length ? `Applied ${result.applied.length} migration(s): ${result.applied.join(", ")}` : "Database is up to date; nothing to apply.");
        console.log("Generated the Prisma client.");
        return 0;
      }
    // falls through: in production db:migrate applies only, as db:deploy does (and says what is missing)
    case "deploy": {
      // `apply` (development) creates the database when missing; `deploy` (production) only applies.
      const applied = await applyMigrations({ databaseUrl, createIfMissing: command === "apply" });
      console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(", ")}` : "Database is up to date; nothing to apply.");
      if (command === "apply") {
        const drift = await diffMigrationsToSchema({ databaseUrl });
        if (drift.changed) console.warn("schema.prisma has changes no migration makes yet: create one in development (`pnpm db:migrate --name <name>`) and deploy it.");
      }
      return 0;
    }
    case "create": {
      const name = flags.name ?? args[0] ?? "";
      const folder = await createMigration({ databaseUrl, name });
      console.log(folder ? `Created prisma/migrations/${folder}/migration.sql` : "schema.prisma and the migrations agree; no migration created.");
      return 0;
    }
    case "check": {
      const drift = await diffMigrationsToSchema({ databaseUrl });
      if (!drift.changed) {
        console.log("schema.prisma and prisma/migrations agree.");
        return 0;
      }
      console.error("schema.prisma and prisma/migrations disagree. A new migration would contain:\n");
      console.error(drift.script);
      console.error("Run `pnpm db:migrate:create <name>` and commit the result.");
      return 1;
    }
    case "status": {
      const status = await migrationStatus({ databaseUrl });
      console.log(JSON.stringify(status, null, 2));
      return status.pending.length || status.edited.length || status.failed.length || status.unknownToFolder.length ? 1 : 0;
    }
    case "wait": {
      const at = args.indexOf("--timeout");
      const timeoutSeconds = at >= 0 ? Number(args[at + 1]) : 900;
      if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
        console.error("--timeout takes a number of seconds");
        return 2;
      }
      const ready = await waitForMigrations({ databaseUrl, timeoutMs: timeoutSeconds * 1000, onWait: (reason) => console.log(`waiting: ${reason}`) });
      console.log(ready ? "The database has every migration of this build." : `Gave up after ${timeoutSeconds} s.`);
      return ready ? 0 : 1;
    }
    case "reset": {
      const refusal = resetRefusal({ nodeEnv: readNodeEnv(), force: flags.force, databaseUrl });
      if (refusal) {
        console.error(refusal);
        return 1;
      }
      if (interactive && !flags.force) {
        const answer = await ask(`Drop and recreate ${new URL(databaseUrl).pathname.slice(1)} on ${new URL(databaseUrl).host}? All its data is lost. [y/N] `);
        if (!/^y(es)?$/i.test(answer.trim())) {
          console.log("Nothing dropped.");
          return 1;
        }
      }
      const applied = await resetDatabase({ databaseUrl });
      console.log(`Database recreated; applied ${applied.length} migration(s).`);
      if (!flags["skip-seed"]) {
        const { runSeedCli } = await import("../seed/run.ts");
        await runSeedCli([]);
      }
      return 0;
    }
    default:
      console.error("usage: migrate.ts apply [--name <name>]|deploy|create <name>|check|status|wait [--timeout <s>]|reset [--force] [--skip-seed]");
      return 2;
  }
}

run().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof MigrationError ? `Migration failed: ${error.message}` : error);
    process.exit(1);
  },
);
