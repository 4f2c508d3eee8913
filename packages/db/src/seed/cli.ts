// `pnpm db:seed [--titles N]`: seeds the database at DATABASE_URL (default: the local development database).
// The work itself is in run.ts (also used by `pnpm db:reset`); this file is the entry point.
import { realpathSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../config.ts";
import { explainSeedError, runSeedCli, USAGE, UsageError } from "./run.ts";

export { formatSummary, parseSeedArgs, runSeedCli, UsageError } from "./run.ts";

/** True when this file is the entry point (`tsx .../cli.ts`), false when imported (`pnpm db:reset`). */
function invokedDirectly(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(path.resolve(entry)) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  runSeedCli(process.argv.slice(2)).then(
    () => process.exit(0),
    (error: unknown) => {
      if (error instanceof UsageError) {
        console.error(`${error.message}\n${USAGE}`);
        process.exit(2);
      }
      const explained = explainSeedError(error);
      if (error instanceof ConfigError) console.error(`Configuration error: ${error.message}`);
      else if (explained) console.error(`Seed failed: ${explained}`);
      else console.error("Seed failed:", error instanceof Error ? (error.stack ?? error.message) : error);
      process.exit(1);
    },
  );
}
