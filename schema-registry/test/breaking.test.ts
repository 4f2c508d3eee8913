// Failure class (b): a change that breaks the published supergraph for clients, unless announced in the
// registry. Each test publishes the fixture subgraphs to a scratch registry, changes the catalog subgraph,
// then runs the check (and publish, which refuses the same changes).
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ANNOUNCEMENTS_FILE, formatIssue, publishRegistry, readRegistry, runCheck, type Announcement } from "../src/index.ts";
import { CATALOG_SDL, fixtureSubgraphs, scratch, type Scratch } from "./fixtures.ts";

let work: Scratch;
beforeEach(async () => {
  work = scratch();
  const published = await publishRegistry({ subgraphs: fixtureSubgraphs(), registryDir: work.registryDir });
  expect(published.ok).toBe(true);
});
afterEach(() => work.remove());

function announce(...announcements: Announcement[]) {
  writeFileSync(path.join(work.registryDir, ANNOUNCEMENTS_FILE), JSON.stringify({ announcements }, null, 2));
}

/** Runs the check (registry staleness aside: these tests are about what changes for clients). */
async function check(catalogSdl: string) {
  const result = await runCheck({ subgraphs: fixtureSubgraphs(catalogSdl), registryDir: work.registryDir, requireUpToDate: false });
  return { ...result, errors: result.issues.map(formatIssue) };
}

const withoutTitle = CATALOG_SDL.replace("  title: String!\n", "");

describe("breaking changes against the published supergraph", () => {
  it("fails when a field clients can query is removed", async () => {
    const result = await check(withoutTitle);
    expect(result.ok).toBe(false);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^error\[E003\]: Breaking change: Field "Content\.title" was removed\n/);
    expect(result.errors[0]).toContain("announcements.json");
  });

  it("refuses to publish the removal, and the published supergraph still has the field", async () => {
    const result = await publishRegistry({ subgraphs: fixtureSubgraphs(withoutTitle), registryDir: work.registryDir });
    expect(result.ok).toBe(false);
    expect(result.issues.map(formatIssue)[0]).toContain('Breaking change: Field "Content.title" was removed');
    expect(readRegistry(work.registryDir).apiSchemaSdl).toContain("title: String!");
  });

  it("passes when the removal is announced, and publish then records it", async () => {
    announce({ coordinate: "Content.title", reason: "deprecated since 2025-09-01; clients use Content.name", announced: "2025-10-01" });
    const result = await check(withoutTitle);
    expect(result.errors).toEqual([]);
    expect(result.notes.map((note) => note.message)).toContainEqual(expect.stringContaining('announced change: Field "Content.title" was removed (announced 2025-10-01'));

    const published = await publishRegistry({ subgraphs: fixtureSubgraphs(withoutTitle), registryDir: work.registryDir });
    expect(published.ok).toBe(true);
    expect(readRegistry(work.registryDir).apiSchemaSdl).not.toContain("title: String!");
  });

  it("does not accept an announcement of another coordinate or another kind of change", async () => {
    announce(
      { coordinate: "Content.year", reason: "not this field", announced: "2025-10-01" },
      { coordinate: "Content.title", change: "FIELD_TYPE_CHANGED", reason: "a type change, not a removal", announced: "2025-10-01" },
    );
    const result = await check(withoutTitle);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toContain('Breaking change: Field "Content.title" was removed');
  });

  it("passes a deprecation (the normal first step), which publish accepts", async () => {
    const deprecated = CATALOG_SDL.replace("  title: String!\n", '  title: String! @deprecated(reason: "Use name.")\n  name: String!\n');
    const result = await check(deprecated);
    expect(result.errors).toEqual([]);
    const published = await publishRegistry({ subgraphs: fixtureSubgraphs(deprecated), registryDir: work.registryDir });
    expect(published.ok).toBe(true);
    expect(readRegistry(work.registryDir).apiSchemaSdl).toContain('title: String! @deprecated(reason: "Use name.")');
  });

  it("fails when an enum value is removed", async () => {
    const result = await check(CATALOG_SDL.replace("  DOCUMENTARY\n", ""));
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^error\[E003\]: Breaking change: Enum value "ContentType\.DOCUMENTARY" was removed/);
  });

  it("fails when a required argument is added, and passes an optional one", async () => {
    const required = await check(CATALOG_SDL.replace("browse(filter: ContentFilter, first: Int)", "browse(filter: ContentFilter, first: Int, region: String!)"));
    expect(required.errors).toHaveLength(1);
    expect(required.errors[0]).toMatch(/^error\[E003\]: Breaking change: Required argument "Query\.browse\(region:\)" was added/);

    const optional = await check(CATALOG_SDL.replace("browse(filter: ContentFilter, first: Int)", "browse(filter: ContentFilter, first: Int, region: String)"));
    expect(optional.errors).toEqual([]);
  });

  it("accepts an announcement written as a schema coordinate with an argument", async () => {
    announce({ coordinate: "Query.browse(region:)", reason: "every client sends a region since 2.3", announced: "2025-10-01" });
    const result = await check(CATALOG_SDL.replace("browse(filter: ContentFilter, first: Int)", "browse(filter: ContentFilter, first: Int, region: String!)"));
    expect(result.errors).toEqual([]);
  });

  it("fails when a field's type changes incompatibly", async () => {
    const result = await check(CATALOG_SDL.replace("  year: Int\n", "  year: String\n"));
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toContain('Breaking change: Field "Content.year" changed type from "Int" to "String"');
  });

  it("fails when a value is added to an enum clients read, unless announced", async () => {
    const added = CATALOG_SDL.replace("  DOCUMENTARY\n", "  DOCUMENTARY\n  SHORT\n");
    const result = await check(added);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^error\[E004\]: Unannounced enum value: Enum value "ContentType\.SHORT" was added/);

    announce({ coordinate: "ContentType.SHORT", reason: "clients from 3.1 show shorts", announced: "2025-10-01" });
    expect((await check(added)).errors).toEqual([]);
  });

  it("passes a value added to an enum that is only an input", async () => {
    const result = await check(CATALOG_SDL.replace("  OLDEST\n", "  OLDEST\n  POPULAR\n"));
    expect(result.errors).toEqual([]);
  });

  it("passes a new enum returned by a new field (its values are not additions to an enum clients know)", async () => {
    const result = await check(
      `${CATALOG_SDL}\nenum Availability {\n  AVAILABLE\n  LEAVING_SOON\n}\n`.replace("  year: Int\n", "  year: Int\n  availability: Availability!\n"),
    );
    expect(result.errors).toEqual([]);
  });

  it("passes added fields and types", async () => {
    const result = await check(`${CATALOG_SDL}\ntype Trailer {\n  url: String!\n}\n`.replace("  year: Int\n", "  year: Int\n  trailer: Trailer\n"));
    expect(result.errors).toEqual([]);
  });

  it("rejects an announcements file without a reason or a date", async () => {
    writeFileSync(path.join(work.registryDir, ANNOUNCEMENTS_FILE), JSON.stringify({ announcements: [{ coordinate: "Content.title" }] }));
    const result = await check(withoutTitle);
    expect(result.errors[0]).toMatch(/^error\[E007\]: .*announcements\[0\]\.reason must say why/);
  });
});
