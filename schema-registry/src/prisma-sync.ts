// The Prisma half of `pnpm microservices:sync`: regenerate the client from schema.prisma, then say whether
// schema.prisma has changes no migration makes yet (`pnpm db:check`; the fix is `pnpm db:migrate --name`).
import { spawnSync } from "node:child_process";
import path from "node:path";
import { repositoryRoot } from "@watchflixx/common";

function run(script: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(process.execPath, ["--import", "tsx", ...script], { cwd: repositoryRoot, env, encoding: "utf8" });
}

/** False only when the client could not be generated; a missing migration is reported, not fatal. */
export function syncPrisma(print: (text: string) => void): boolean {
  const prismaCli = path.join(repositoryRoot, "node_modules", "prisma", "build", "index.js");
  const generate = spawnSync(process.execPath, [prismaCli, "generate", "--schema", "prisma/schema.prisma"], {
    cwd: repositoryRoot,
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false" },
    encoding: "utf8",
  });
  if (generate.status !== 0) {
    print(`error: prisma generate failed:\n${(generate.stderr || generate.stdout).trim()}\n`);
    return false;
  }
  print("Prisma client regenerated from prisma/schema.prisma\n");
  const check = run([path.join("packages", "db", "src", "cli", "migrate.ts"), "check"]);
  if (check.status === 0) print("schema.prisma and prisma/migrations agree\n");
  else if (check.status === 1 && /disagree/.test(check.stderr)) {
    print("warning: schema.prisma has changes no migration makes yet: run `pnpm db:migrate --name <name>` (creates, applies, regenerates)\n");
  } else {
    print(`warning: could not compare schema.prisma with the migrations (${(check.stderr || check.stdout).trim().split("\n").pop()})\n`);
  }
  return true;
}
