// Small subgraph SDLs and operations for the registry's tests, written to scratch folders: the tests never
// depend on the real subgraphs, which other people are changing.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { OperationsSource, SubgraphSource } from "../src/index.ts";

const LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])`;

export const ACCOUNTS_SDL = `${LINK}

type Query {
  me: User
}

type User @key(fields: "id") {
  id: ID!
  email: String!
}
`;

export const CATALOG_SDL = `${LINK}

type Query {
  content(id: ID!): Content
  browse(filter: ContentFilter, first: Int): [Content!]!
}

type Content @key(fields: "id") {
  id: ID!
  title: String!
  type: ContentType!
  year: Int
}

"""Clients switch on it: it is the type of Content.type."""
enum ContentType {
  MOVIE
  SERIES
  DOCUMENTARY
}

"""Only ever sent by clients (an argument), never returned."""
enum SortOrder {
  NEWEST
  OLDEST
}

input ContentFilter {
  type: ContentType
  order: SortOrder
}
`;

export const OPERATIONS = {
  "web/catalog.graphql": `query Browse($filter: ContentFilter) {
  browse(filter: $filter, first: 10) { id title type }
}

query ContentDetails($id: ID!) {
  content(id: $id) { id title year }
}
`,
  "web/auth.graphql": `query Me {
  me { id email }
}
`,
};

export function subgraph(name: string, sdl: string): SubgraphSource {
  return { name, url: `http://127.0.0.1:4000/${name}/graphql`, sdl };
}

/** The two fixture subgraphs, with `catalog` replaced by the given SDL. */
export function fixtureSubgraphs(catalogSdl = CATALOG_SDL): SubgraphSource[] {
  return [subgraph("accounts", ACCOUNTS_SDL), subgraph("catalog", catalogSdl)];
}

export interface Scratch {
  dir: string;
  registryDir: string;
  operationsDir: string;
  operations: OperationsSource[];
  write(relativePath: string, text: string): string;
  remove(): void;
}

/** A scratch folder with an empty registry and the fixture operations. */
export function scratch(): Scratch {
  const dir = mkdtempSync(path.join(os.tmpdir(), "schema-registry-test-"));
  const registryDir = path.join(dir, "registry");
  const operationsDir = path.join(dir, "operations");
  mkdirSync(registryDir, { recursive: true });
  const write = (relativePath: string, text: string) => {
    const file = path.join(dir, relativePath);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    return file;
  };
  for (const [file, text] of Object.entries(OPERATIONS)) write(path.join("operations", file), text);
  return {
    dir,
    registryDir,
    operationsDir,
    operations: [{ dir: operationsDir, label: (file) => file }],
    write,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
