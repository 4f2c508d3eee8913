// Failure class (c): a client operation no longer validates against the supergraph.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ANNOUNCEMENTS_FILE, formatIssue, publishRegistry, runCheck } from "../src/index.ts";
import { CATALOG_SDL, fixtureSubgraphs, scratch, type Scratch } from "./fixtures.ts";

let work: Scratch;
beforeEach(async () => {
  work = scratch();
  expect((await publishRegistry({ subgraphs: fixtureSubgraphs(), registryDir: work.registryDir })).ok).toBe(true);
});
afterEach(() => work.remove());

async function check(catalogSdl: string, options: { onlyExistingRootFields?: boolean } = {}) {
  const result = await runCheck({
    subgraphs: fixtureSubgraphs(catalogSdl),
    registryDir: work.registryDir,
    operations: work.operations,
    requireUpToDate: false,
    ...options,
  });
  return { ...result, errors: result.issues.map(formatIssue) };
}

describe("client operations", () => {
  it("fails when an operation selects a field the supergraph no longer has, naming file and operation", async () => {
    // The removal itself is announced, so the only failure left is the contract's operation.
    writeFileSync(
      path.join(work.registryDir, ANNOUNCEMENTS_FILE),
      JSON.stringify({ announcements: [{ coordinate: "Content.title", reason: "renamed", announced: "2025-10-01" }] }),
    );
    const result = await check(CATALOG_SDL.replace("  title: String!\n", "  name: String!\n"));

    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([
      [
        "error[E005]: 2 operations no longer validate against the supergraph.",
        'OPERATION_INVALID: web/catalog.graphql Browse: Cannot query field "title" on type "Content". Did you mean "type"?',
        'OPERATION_INVALID: web/catalog.graphql ContentDetails: Cannot query field "title" on type "Content". Did you mean "type"?',
      ].join("\n"),
    ]);
  });

  it("reports every invalid operation and each problem, such as an argument that no longer exists", async () => {
    work.write("operations/tv/home.graphql", "query TvHome {\n  browse(first: 5, sort: NEWEST) { id title }\n}\n");
    const result = await check(CATALOG_SDL);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toContain('OPERATION_INVALID: tv/home.graphql TvHome: Unknown argument "sort" on field "Query.browse".');
  });

  it("fails on an operation file that does not parse", async () => {
    work.write("operations/web/broken.graphql", "query Broken {\n  me { id \n");
    const result = await check(CATALOG_SDL);
    expect(result.errors[0]).toContain("OPERATION_INVALID: web/broken.graphql: Syntax Error");
  });

  it("fails on a subscription when the supergraph has no subscription type", async () => {
    work.write("operations/web/live.graphql", "subscription Live {\n  contentAdded { id }\n}\n");
    const result = await check(CATALOG_SDL);
    expect(result.errors[0]).toContain("OPERATION_INVALID: web/live.graphql Live: The supergraph has no subscription root type.");
  });

  it("fails when the operations folder is missing", async () => {
    const result = await runCheck({
      subgraphs: fixtureSubgraphs(),
      registryDir: work.registryDir,
      operations: [{ dir: path.join(work.dir, "no-such-folder"), label: (file) => file }],
    });
    expect(result.issues.map(formatIssue)).toEqual([expect.stringMatching(/^error\[E005\]: The operations folder .*no-such-folder does not exist/)]);
  });

  it("with onlyExistingRootFields, skips (and lists) operations whose root fields are not built yet, still checking the rest", async () => {
    work.write("operations/web/party.graphql", "mutation CreateParty {\n  createPartyWatch { id }\n}\n");
    work.write("operations/web/bad.graphql", "query Bad {\n  content(id: 1) { nope }\n}\n");

    const strict = await check(CATALOG_SDL);
    expect(strict.errors[0]).toContain("OPERATION_INVALID: web/party.graphql CreateParty: The supergraph has no mutation root type.");

    const interim = await check(CATALOG_SDL, { onlyExistingRootFields: true });
    expect(interim.errors).toHaveLength(1);
    expect(interim.errors[0]).toContain('OPERATION_INVALID: web/bad.graphql Bad: Cannot query field "nope" on type "Content".');
    expect(interim.errors[0]).toMatch(/^error\[E005\]: 1 operation no longer validates/);
    expect(interim.errors[0]).not.toContain("CreateParty");
    expect(interim.notes.map((note) => note.message)).toContainEqual(expect.stringContaining("web/party.graphql CreateParty: the supergraph has no mutation type yet"));
  });

  it("validates fragments defined in another file", async () => {
    work.write("operations/web/fragments.graphql", "fragment Card on Content {\n  id\n  title\n}\n");
    work.write("operations/web/home.graphql", "query Home {\n  browse(first: 3) { ...Card }\n}\n");
    expect((await check(CATALOG_SDL)).errors).toEqual([]);
  });
});
