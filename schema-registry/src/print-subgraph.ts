// Child process used by the registry: imports one subgraph's `src/index.ts`, calls its `create<Name>Subgraph()`
// and writes `{ "name", "sdl" }` as JSON to stdout. One process per subgraph, as each runs in production, so
// that no subgraph's type-graphql metadata can leak into another's SDL.
//   node --import tsx schema-registry/src/print-subgraph.ts <name>
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { repositoryRoot } from "@watchflixx/common";
import { createFunctionName, SDL_MARKER } from "./subgraphs.ts";

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[a-z][a-z0-9-]*$/.test(name)) throw new Error("usage: print-subgraph.ts <service>");
  const entry = path.join(repositoryRoot, "subgraphs", name, "src", "index.ts");
  if (!existsSync(entry)) throw new Error(`subgraphs/${name}/src/index.ts does not exist`);
  const module = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
  const create = module[createFunctionName(name)];
  if (typeof create !== "function") throw new Error(`subgraphs/${name}/src/index.ts does not export ${createFunctionName(name)}()`);
  const definition = (await (create as () => Promise<unknown>)()) as { name?: unknown; sdl?: unknown };
  if (typeof definition?.sdl !== "string") throw new Error(`${createFunctionName(name)}() returned no sdl`);
  if (definition.name !== name) throw new Error(`${createFunctionName(name)}() returned name "${String(definition.name)}", expected "${name}"`);
  // After a marker line: whatever the subgraph's code logged to stdout before it is ignored.
  process.stdout.write(`\n${SDL_MARKER}\n${JSON.stringify({ name, sdl: definition.sdl })}`, () => process.exit(0));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`, () => process.exit(1));
});
