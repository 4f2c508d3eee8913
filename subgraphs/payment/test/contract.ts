// The client contract's operations (shared/operations beside the repository), cut from their files by name,
// exactly as the files spell them.
import { readFileSync } from "node:fs";
import path from "node:path";
import { Kind, parse } from "graphql";
import { repositoryRoot } from "@watchflixx/common";

const CONTRACT_DIR = path.resolve(repositoryRoot, "../shared/operations");

export function contractOperation(file: string, name: string): string {
  const source = readFileSync(path.join(CONTRACT_DIR, file), "utf8");
  for (const definition of parse(source).definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION && definition.name?.value === name && definition.loc) {
      return source.slice(definition.loc.start, definition.loc.end);
    }
  }
  throw new Error(`${file} has no operation ${name}`);
}
