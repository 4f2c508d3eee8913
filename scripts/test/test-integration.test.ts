// `pnpm test:integration` runs every cross-service suite: each test file that starts the real gateway over
// subgraphs (itself, or through the support module it imports) is picked by the script's file filters.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const repositoryRoot = path.resolve(import.meta.dirname, "..", "..");
const GATEWAY_STARTERS = /\b(startSupergraph|createGateway)\b/;

function files(dir: string): string[] {
  return readdirSync(path.join(repositoryRoot, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts") && !entry.parentPath.includes("node_modules"))
    .map((entry) => path.relative(repositoryRoot, path.join(entry.parentPath, entry.name)));
}

/** Test files that start a gateway, directly or through a module of their own folder they import. */
function crossServiceSuites(): string[] {
  const all = ["subgraphs", "router", "tests", "packages"].flatMap(files).filter((file) => /\/test\//.test(file));
  const starts = (file: string, seen = new Set<string>()): boolean => {
    if (seen.has(file)) return false;
    seen.add(file);
    const text = readFileSync(path.join(repositoryRoot, file), "utf8");
    if (GATEWAY_STARTERS.test(text)) return true;
    return [...text.matchAll(/from "(\.{1,2}\/[^"]+\.ts)"/g)].some(([, relative]) => starts(path.join(path.dirname(file), relative!), seen));
  };
  return all.filter((file) => file.endsWith(".test.ts") && starts(file)).sort();
}

describe("pnpm test:integration", () => {
  it("selects every test file that runs the gateway over subgraphs", () => {
    const script = (JSON.parse(readFileSync(path.join(repositoryRoot, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts[
      "test:integration"
    ]!;
    // vitest's file filters: a file runs when its path contains one of them.
    const filters = script.replace(/^vitest run\s+/, "").split(/\s+/).filter((word) => !word.startsWith("-"));
    const suites = crossServiceSuites();
    expect(suites).toEqual(expect.arrayContaining(["tests/contract/test/journey.test.ts", "subgraphs/social/test/party.test.ts"]));
    const missed = suites.filter((file) => !filters.some((filter) => file.includes(filter)));
    expect(missed).toEqual([]);
  });
});
