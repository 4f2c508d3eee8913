import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

// Vite would resolve `graphql` to its ESM build while CommonJS dependencies (@apollo/*) require the CJS one:
// two copies fail with "Cannot use GraphQLSchema from another module or realm". Point every import at one.
const graphqlPath = createRequire(new URL("./packages/common/package.json", import.meta.url)).resolve("graphql");

const packages = ["db", "common", "embedded"].map((name) => ({ name, root: `packages/${name}` }));
// One project per service of microservices.config.json, the one list of subgraphs.
const services = Object.keys((JSON.parse(readFileSync(new URL("./microservices.config.json", import.meta.url), "utf8")) as { services: object }).services);
const subgraphs = services.map((name) => ({
  name,
  root: `subgraphs/${name}`,
}));

export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: graphqlPath }] },
  test: {
    // Integration tests start servers and databases: give them room, never a timed assertion.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [...packages, ...subgraphs, { name: "router", root: "router" }, { name: "schema-registry", root: "schema-registry" }, { name: "contract", root: "tests/contract" }, { name: "scripts", root: "scripts" }, { name: "replicas", root: "tests/replicas" }, { name: "deploy", root: "deploy" }].map(
      ({ name, root }) => ({
        extends: true,
        test: { name, root, include: ["test/**/*.test.ts"] },
      }),
    ),
  },
});
