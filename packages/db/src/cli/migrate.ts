// `pnpm db:migrate | db:deploy | db:migrate:create <name> | db:check | db:reset | db:status`, and `wait [--timeout <s>]`
// (a Kubernetes init container: exit 0 once the database has every migration of this build).
// Exits explicitly: pg pools would otherwise keep Node alive for a while after the engine is done.
import {
  applyMigrations,
  createMigration,
  diffMigrationsToSchema,
  migrationStatus,
  MigrationError,
  resetDatabase,
  waitForMigrations,
} from "../migrate/index.ts";
import { readDatabaseUrl } from "../config.ts";

const [command, ...args] = process.argv.slice(2);

async function run(): Promise<number> {
  const databaseUrl = readDatabaseUrl();
  switch (command) {
    case "apply":
    case "deploy": {
      // `apply` (development) creates the database when missing; `deploy` (production) only applies.
      const applied = await applyMigrations({ databaseUrl, createIfMissing: command === "apply" });
      console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(", ")}` : "Database is up to date; nothing to apply.");
      if (command === "apply") {
        const drift = await diffMigrationsToSchema({ databaseUrl });
        if (drift.changed) console.warn("schema.prisma has changes no migration makes yet: run `pnpm db:migrate:create <name>`.");
      }
      return 0;
    }
    case "create": {
      const name = args.find((arg) => !arg.startsWith("-")) ?? "";
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
      const applied = await resetDatabase({ databaseUrl });
      console.log(`Database recreated; applied ${applied.length} migration(s).`);
      if (!args.includes("--skip-seed")) {
        const { runSeedCli } = await import("../seed/run.ts");
        await runSeedCli([]);
      }
      return 0;
    }
    default:
      console.error("usage: migrate.ts apply|deploy|create <name>|check|status|wait [--timeout <s>]|reset [--skip-seed]");
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
