#!/usr/bin/env node
// The original design's entry point: `node scripts/sync-schema.js [--service <name>]...` is
// `pnpm microservices:sync` (schema-registry/src/commands.ts), with the same options.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// Through the workspace's tsx launcher, as `pnpm microservices:sync` runs it (it also sets the NODE_PATH that
// codegen needs to find its preset).
const tsx = path.join(root, "node_modules", ".bin", process.platform === "win32" ? "tsx.cmd" : "tsx");
const result = spawnSync(tsx, [path.join(root, "schema-registry/src/cli.ts"), "sync", ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
});
process.exit(result.status ?? 1);
