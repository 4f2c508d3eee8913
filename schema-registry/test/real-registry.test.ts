// The project's own registry: the subgraphs that exist in the code compose (under the contract's naming rule),
// the committed registry is consistent with itself, and the generated typed documents match its API schema.
// Whether the registry is up to date with the code, and whether the whole contract validates, is
// `pnpm schema:check` (CI), which needs every subgraph built.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as clients from "@watchflixx/clients";
import { buildSchema, Kind, validate, type DocumentNode } from "graphql";
import { describe, expect, it } from "vitest";
import { apiSchemaSdl, composeSubgraphs, compositionIssue, formatIssue, loadSubgraphsFromCode, manifestProblems, readRegistry, rootTypeNameIssues } from "../src/index.ts";

const registryDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

describe("the project's registry", () => {
  it("every subgraph with code builds its SDL, and together they compose", async () => {
    const loaded = await loadSubgraphsFromCode();
    expect(loaded.failures).toEqual([]);
    expect(loaded.subgraphs.length).toBeGreaterThan(0);
    expect(rootTypeNameIssues(loaded.subgraphs).map(formatIssue)).toEqual([]);
    const composition = composeSubgraphs(loaded.subgraphs);
    expect(composition.ok ? [] : formatIssue(compositionIssue(composition.errors)).split("\n")).toEqual([]);
  });

  it("the committed registry matches its manifest, and its API schema is the supergraph's", () => {
    const registry = readRegistry(registryDir);
    expect(registry.manifest).not.toBeNull();
    if (!registry.manifest || registry.supergraphSdl === null) return;
    expect(manifestProblems(registryDir, registry.manifest)).toEqual([]);
    expect(registry.apiSchemaSdl).toBe(apiSchemaSdl(registry.supergraphSdl));
    for (const [name, entry] of Object.entries(registry.manifest.subgraphs)) {
      expect(registry.supergraphSdl).toContain(`@join__graph(name: "${name}", url: "${entry.url}")`);
    }
  });

  it("every generated typed document validates against the registry's API schema", () => {
    const schema = buildSchema(readFileSync(path.join(registryDir, "api-schema.graphql"), "utf8"));
    const documents = Object.entries(clients).filter(([name, value]) => name.endsWith("Document") && typeof value === "object" && value !== null);
    expect(documents.length).toBeGreaterThan(0);
    for (const [name, value] of documents) {
      const document = value as DocumentNode;
      expect(document.kind, name).toBe(Kind.DOCUMENT);
      expect(validate(schema, document).map((error) => `${name}: ${error.message}`)).toEqual([]);
    }
    // A document a test would use, typed by codegen.
    expect(clients.SignUpDocument.definitions[0]).toMatchObject({ kind: Kind.OPERATION_DEFINITION, operation: "mutation", name: { value: "SignUp" } });
  });
});
