// The trusted documents: every operation of the client contract and of clients/operations, keyed by the
// sha256 of its body, in Apollo's persisted query manifest format (what @apollo/generate-persisted-query-manifest
// writes and Apollo Client's persisted-queries link and @apollo/persisted-query-lists read). The gateway serves
// these operations by hash and, with TRUSTED_DOCUMENTS=enforce, nothing else.
//
// A body is the operation printed by graphql-js (`print`) with the fragments it uses, exactly what a client sends
// when it prints a typed document of clients/src/gql (fetch, graphql-ws, Apollo Client without added fields).
import { createHash } from "node:crypto";
import { Kind, parse, print, visit, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode } from "graphql";

export const MANIFEST_FORMAT = "apollo-persisted-query-manifest";

export interface PersistedQueryManifest {
  format: typeof MANIFEST_FORMAT;
  version: 1;
  operations: Array<{ id: string; name: string; type: "query" | "mutation" | "subscription"; body: string }>;
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The fragments `operation` spreads, directly or through other fragments, in the order first met. */
function fragmentsUsedBy(operation: OperationDefinitionNode, fragments: Map<string, FragmentDefinitionNode>, file: string): FragmentDefinitionNode[] {
  const used = new Map<string, FragmentDefinitionNode>();
  const pending: Array<OperationDefinitionNode | FragmentDefinitionNode> = [operation];
  while (pending.length > 0) {
    const node = pending.shift();
    if (!node) break;
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        if (used.has(name)) return;
        const fragment = fragments.get(name);
        if (!fragment) throw new Error(`${file}: the fragment ${name} is not defined in any operation file`);
        used.set(name, fragment);
        pending.push(fragment);
      },
    });
  }
  return [...used.values()];
}

/** The manifest of the operations in `files` (path → source); throws on an anonymous or duplicated operation. */
export function buildPersistedQueryManifest(files: ReadonlyArray<{ path: string; source: string }>): PersistedQueryManifest {
  const documents = files.map((file) => ({ path: file.path, document: parse(file.source) }));
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const { document } of documents) {
    for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const operations: PersistedQueryManifest["operations"] = [];
  const seen = new Map<string, string>();
  for (const { path, document } of documents) {
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      const name = definition.name?.value;
      if (!name) throw new Error(`${path}: an anonymous operation cannot be a trusted document; give it a name`);
      const other = seen.get(name);
      if (other) throw new Error(`${path}: the operation ${name} is also defined in ${other}; names must be unique`);
      seen.set(name, path);
      const single: DocumentNode = { kind: Kind.DOCUMENT, definitions: [definition, ...fragmentsUsedBy(definition, fragments, path)] };
      const body = print(single);
      operations.push({ id: sha256Hex(body), name, type: definition.operation, body });
    }
  }
  // Code-unit order, not the locale's: the file must come out the same on every machine.
  operations.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { format: MANIFEST_FORMAT, version: 1, operations };
}

/** The file as committed: two-space JSON and a final newline. */
export function manifestFileContent(manifest: PersistedQueryManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
