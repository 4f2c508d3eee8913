// Failure class (a): the subgraphs do not compose.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatIssue, publishRegistry, readRegistry, runCheck } from "../src/index.ts";
import { ACCOUNTS_SDL, fixtureSubgraphs, scratch, subgraph, type Scratch } from "./fixtures.ts";

// A second subgraph that also resolves User.email, without @shareable on either side.
const PROFILES_SDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

type Query {
  user(id: ID!): User
}

type User @key(fields: "id") {
  id: ID!
  email: String!
}
`;

let work: Scratch;
beforeEach(() => {
  work = scratch();
});
afterEach(() => work.remove());

describe("composition", () => {
  it("composes the fixture subgraphs and passes the check", async () => {
    const published = await publishRegistry({ subgraphs: fixtureSubgraphs(), registryDir: work.registryDir, operations: work.operations });
    expect(published.issues).toEqual([]);
    const result = await runCheck({ subgraphs: fixtureSubgraphs(), registryDir: work.registryDir, operations: work.operations });
    expect(result.issues.map(formatIssue)).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it("fails when two subgraphs define the same non-shareable field, naming the field and the subgraphs", async () => {
    await publishRegistry({ subgraphs: fixtureSubgraphs(), registryDir: work.registryDir });
    const subgraphs = [...fixtureSubgraphs(), subgraph("profiles", PROFILES_SDL)];

    const result = await runCheck({ subgraphs, registryDir: work.registryDir, operations: work.operations });

    expect(result.ok).toBe(false);
    expect(result.issues.map((item) => item.kind)).toEqual(["COMPOSITION_ERROR"]);
    const report = formatIssue(result.issues[0]!);
    expect(report).toMatch(/^error\[E001\]: Encountered \d+ build errors? while trying to build a supergraph\./);
    expect(report).toContain('COMPOSITION_ERROR: INVALID_FIELD_SHARING: Non-shareable field "User.email" is resolved from multiple subgraphs');
    expect(report).toContain('"accounts"');
    expect(report).toContain('"profiles"');
  });

  it("does not publish subgraphs that do not compose: the registry keeps the last good supergraph", async () => {
    await publishRegistry({ subgraphs: fixtureSubgraphs(), registryDir: work.registryDir });
    const before = readRegistry(work.registryDir).supergraphSdl;

    const result = await publishRegistry({
      subgraphs: [...fixtureSubgraphs(), subgraph("profiles", PROFILES_SDL)],
      registryDir: work.registryDir,
    });

    expect(result.ok).toBe(false);
    expect(result.written).toEqual([]);
    expect(readRegistry(work.registryDir).supergraphSdl).toBe(before);
    expect(readRegistry(work.registryDir).manifest?.subgraphs).not.toHaveProperty("profiles");
  });

  it("reports an SDL that does not parse as a composition error", async () => {
    const result = await runCheck({ subgraphs: [subgraph("accounts", ACCOUNTS_SDL), subgraph("broken", "type Query {")], registryDir: work.registryDir });
    expect(result.ok).toBe(false);
    expect(formatIssue(result.issues[0]!)).toContain("COMPOSITION_ERROR: INVALID_GRAPHQL: [broken] Syntax Error");
  });
});
