// The client contract's operation documents (shared/operations beside the repository), one operation at a time,
// exactly as the file spells it.
import { readFileSync } from "node:fs";
import path from "node:path";
import { Kind, parse, print, visit, type DocumentNode } from "graphql";
import { repositoryRoot } from "@watchflixx/common";

export const CONTRACT_DIR = path.resolve(repositoryRoot, "../shared/operations");

/** Operation name → that operation's text, cut from the file by its source location. */
export function contractOperations(file: string): Map<string, string> {
  const source = readFileSync(path.join(CONTRACT_DIR, file), "utf8");
  const document = parse(source);
  const operations = new Map<string, string>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION || !definition.name || !definition.loc) continue;
    operations.set(definition.name.value, source.slice(definition.loc.start, definition.loc.end));
  }
  return operations;
}

export function operation(operations: Map<string, string>, name: string): string {
  const text = operations.get(name);
  if (!text) throw new Error(`the contract has no operation ${name}`);
  return text;
}

/** The operation without the given top-level-or-nested fields (for fields owned by subgraphs not started here). */
export function withoutFields(text: string, fields: string[]): string {
  const document: DocumentNode = visit(parse(text), {
    Field(node) {
      return fields.includes(node.name.value) ? null : undefined;
    },
  });
  return print(document);
}
