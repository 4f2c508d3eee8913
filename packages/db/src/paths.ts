// Where the repository is, found the same way from the TypeScript sources (packages/*/src) and from the
// bundles under dist/: walk up from a file until a folder holds microservices.config.json. Paths computed
// as "../../.." from one file break as soon as that file moves (a bundle lives at dist/<name>.mjs).
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The file that marks the repository root (it sits beside prisma/, schema-registry/ and package.json). */
export const REPOSITORY_MARKER = "microservices.config.json";

/**
 * The nearest folder at or above `from` (a file URL or path; default: this module's own file, which is the
 * bundle's when bundled) that holds microservices.config.json. Throws when there is none.
 */
export function findRepositoryRoot(from: string | URL = import.meta.url): string {
  const start = typeof from === "string" && !from.startsWith("file:") ? path.resolve(from) : fileURLToPath(from);
  let dir = path.dirname(start);
  for (;;) {
    if (existsSync(path.join(dir, REPOSITORY_MARKER))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the repository root (no ${REPOSITORY_MARKER} above ${start})`);
    dir = parent;
  }
}
