// Child process used by the registry: imports one subgraph's `src/index.ts`, builds it (its `<name>Subgraph`
// module with schema-only deps, or a not yet converted `create<Name>Subgraph()`) and writes `{ "name", "sdl" }` as JSON to stdout. One process per subgraph, as each runs in production, so
// that no subgraph's type-graphql metadata can leak into another's SDL.
//   node --import tsx schema-registry/src/print-subgraph.ts <name>
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseConfig, repositoryRoot, schemaOnlyDeps, type SubgraphModule } from "@watchflixx/common";
import { createFunctionName, moduleExportName, SDL_MARKER } from "./subgraphs.ts";

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[a-z][a-z0-9-]*$/.test(name)) throw new Error("usage: print-subgraph.ts <service>");
  const entry = path.join(repositoryRoot, "subgraphs", name, "src", "index.ts");
  if (!existsSync(entry)) throw new Error(`subgraphs/${name}/src/index.ts does not exist`);
  const exports = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
  const subgraph = exports[moduleExportName(name)] as SubgraphModule | undefined;
  const create = exports[createFunctionName(name)];
  if (!subgraph && typeof create !== "function") throw new Error(`subgraphs/${name}/src/index.ts exports neither ${moduleExportName(name)} nor ${createFunctionName(name)}()`);
  const definition = (
    subgraph ? await subgraph.create(schemaOnlyDeps(subgraph.name, parseConfig(subgraph.configSchema, {}))) : await (create as () => Promise<unknown>)()
  ) as { name?: unknown; sdl?: unknown };
  if (typeof definition?.sdl !== "string") throw new Error(`${createFunctionName(name)}() returned no sdl`);
  if (definition.name !== name) throw new Error(`${createFunctionName(name)}() returned name "${String(definition.name)}", expected "${name}"`);
  // After a marker line: whatever the subgraph's code logged to stdout before it is ignored.
  process.stdout.write(`\n${SDL_MARKER}\n${JSON.stringify({ name, sdl: definition.sdl })}`, () => process.exit(0));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`, () => process.exit(1));
});
