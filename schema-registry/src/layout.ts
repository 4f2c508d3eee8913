// `pnpm microservices:validate`, part two: every subgraph has the files the README's "Subgraph layout" section
// lists (a test keeps this list and that table in step), and nothing else at the top of its src/:
// - required: src/config.ts, src/index.ts, src/main.ts, src/loaders.ts, README.md, and the folders
//   src/entities/, src/resolvers/, src/services/ and test/;
// - src/inputs/ only where the subgraph has input types: it holds every `@InputType` class, and exists only
//   when there is one;
// - no other entry directly under src/ (a settings.ts, env.ts or a folder of its own).
// Every finding of every subgraph is reported, so one run shows all that is left to move.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { issue, type Issue } from "./issues.ts";

interface LayoutEntry {
  /** Relative to the subgraph's folder; a trailing `/` is a folder. */
  path: string;
  required: boolean;
}

/** The README's table, in its order (README.md, "Subgraph layout"). */
export const SUBGRAPH_LAYOUT: readonly LayoutEntry[] = [
  { path: "src/config.ts", required: true },
  { path: "src/entities/", required: true },
  { path: "src/inputs/", required: false },
  { path: "src/services/", required: true },
  { path: "src/loaders.ts", required: true },
  { path: "src/resolvers/", required: true },
  { path: "src/index.ts", required: true },
  { path: "src/main.ts", required: true },
  { path: "README.md", required: true },
  { path: "test/", required: true },
];

const INPUT_TYPE = /@InputType\s*\(/;

function typeScriptFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === "node_modules" ? [] : typeScriptFiles(full);
      return entry.name.endsWith(".ts") ? [full] : [];
    });
}

/** What is wrong with one subgraph's layout (empty: it follows the README). */
export function subgraphLayoutProblems(root: string, name: string): string[] {
  const base = path.join(root, "subgraphs", name);
  const shown = (relative: string) => `subgraphs/${name}/${relative}`;
  const problems: string[] = [];
  for (const entry of SUBGRAPH_LAYOUT) {
    const folder = entry.path.endsWith("/");
    const full = path.join(base, entry.path);
    if (!existsSync(full)) {
      if (entry.required) problems.push(`${shown(entry.path)} is missing`);
    } else if (statSync(full).isDirectory() !== folder) {
      problems.push(`${shown(entry.path)} must be a ${folder ? "folder" : "file"}`);
    }
  }

  const src = path.join(base, "src");
  const inSrc = SUBGRAPH_LAYOUT.filter((entry) => entry.path.startsWith("src/")).map((entry) => entry.path.slice("src/".length));
  const allowed = new Set(inSrc.map((entry) => entry.replace(/\/$/, "")));
  if (existsSync(src)) {
    for (const entry of readdirSync(src).sort()) {
      if (!allowed.has(entry)) problems.push(`${shown(`src/${entry}`)} is not in the layout: src/ holds only ${inSrc.join(", ")} (settings go in config.ts)`);
    }
  }

  const inputs = path.join(src, "inputs");
  const strayInputs = typeScriptFiles(src).filter((file) => !file.startsWith(inputs + path.sep) && INPUT_TYPE.test(readFileSync(file, "utf8")));
  for (const file of strayInputs) problems.push(`${shown(path.relative(base, file))} declares an @InputType: input types live in src/inputs/`);
  if (existsSync(inputs) && !typeScriptFiles(inputs).some((file) => INPUT_TYPE.test(readFileSync(file, "utf8")))) {
    problems.push(`${shown("src/inputs/")} holds no @InputType: a subgraph without inputs has no src/inputs/`);
  }
  return problems;
}

/** One issue listing every subgraph's layout findings (none when all follow the README). */
export function validateSubgraphLayout(input: { root: string; services: Record<string, unknown> }): Issue[] {
  const problems = Object.keys(input.services).flatMap((name) => (existsSync(path.join(input.root, "subgraphs", name)) ? subgraphLayoutProblems(input.root, name) : []));
  return problems.length > 0 ? [issue("SUBGRAPH_LAYOUT", 'Subgraphs do not follow the layout of README.md ("Subgraph layout").', problems)] : [];
}
