// `pnpm microservices:validate`'s layout check (README.md, "Subgraph layout"): on a temp copy of the content
// subgraph, the worked example, with a wrong layout planted in it; and on the converted subgraphs themselves.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { repositoryRoot } from "@watchflixx/common";
import { formatIssue, SUBGRAPH_LAYOUT, subgraphLayoutProblems, validateSubgraphLayout } from "../src/index.ts";

let root: string;
const content = (relative: string) => path.join(root, "subgraphs", "content", relative);

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "layout-test-"));
  for (const entry of ["src", "test", "README.md", "package.json"]) {
    cpSync(path.join(repositoryRoot, "subgraphs", "content", entry), content(entry), { recursive: true });
  }
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("subgraph layout", () => {
  it("passes the content subgraph as it is", () => {
    expect(subgraphLayoutProblems(root, "content")).toEqual([]);
    expect(validateSubgraphLayout({ root, services: { content: {} } })).toEqual([]);
  });

  it("reports every finding at once: a missing config.ts and a stray settings.ts", () => {
    rmSync(content("src/config.ts"));
    writeFileSync(content("src/settings.ts"), "export const settings = {};\n");
    const [error, ...others] = validateSubgraphLayout({ root, services: { content: {} } }).map(formatIssue);
    expect(others).toEqual([]);
    expect(error?.split("\n")).toEqual([
      'error[E010]: Subgraphs do not follow the layout of README.md ("Subgraph layout").',
      "subgraphs/content/src/config.ts is missing",
      "subgraphs/content/src/settings.ts is not in the layout: src/ holds only config.ts, entities/, inputs/, services/, loaders.ts, resolvers/, index.ts, main.ts (settings go in config.ts)",
    ]);
  });

  it("reports missing folders and files outside src/, and a folder of its own in src/", () => {
    rmSync(content("test"), { recursive: true });
    rmSync(content("README.md"));
    rmSync(content("src/loaders.ts"));
    mkdirSync(content("src/webhooks"));
    expect(subgraphLayoutProblems(root, "content")).toEqual([
      "subgraphs/content/src/loaders.ts is missing",
      "subgraphs/content/README.md is missing",
      "subgraphs/content/test/ is missing",
      "subgraphs/content/src/webhooks is not in the layout: src/ holds only config.ts, entities/, inputs/, services/, loaders.ts, resolvers/, index.ts, main.ts (settings go in config.ts)",
    ]);
  });

  it("keeps input types in src/inputs/, and src/inputs/ only where there are input types", () => {
    writeFileSync(content("src/services/stray.ts"), '@InputType("Stray")\nexport class Stray {}\n');
    expect(subgraphLayoutProblems(root, "content")).toEqual(["subgraphs/content/src/services/stray.ts declares an @InputType: input types live in src/inputs/"]);
    rmSync(content("src/services/stray.ts"));

    rmSync(content("src/inputs"), { recursive: true });
    mkdirSync(content("src/inputs"));
    writeFileSync(content("src/inputs/index.ts"), "export {};\n");
    expect(subgraphLayoutProblems(root, "content")).toEqual(["subgraphs/content/src/inputs/ holds no @InputType: a subgraph without inputs has no src/inputs/"]);
    // Without any input type, no src/inputs/ at all is right.
    rmSync(content("src/inputs"), { recursive: true });
    expect(subgraphLayoutProblems(root, "content")).toEqual([]);
  });

  it("lists exactly the entries of the README's table", () => {
    const readme = readFileSync(path.join(repositoryRoot, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### Subgraph layout"), readme.indexOf("**How deps flow.**"));
    const tablePaths = section
      .split("\n")
      .filter((line) => line.startsWith("| `"))
      .flatMap((line) => [...(line.split("|")[1] ?? "").matchAll(/`([^`]+)`/g)].map((match) => match[1]));
    expect(tablePaths).toEqual(SUBGRAPH_LAYOUT.map((entry) => entry.path));
  });

  it("passes the converted subgraphs: content, auth and notification", () => {
    for (const name of ["content", "auth", "notification"]) expect(subgraphLayoutProblems(repositoryRoot, name), name).toEqual([]);
  });
});
