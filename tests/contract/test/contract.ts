// The client contract (shared/operations beside the repository): every `.graphql` file, every named operation,
// exactly as the files spell them, plus what the README's tables say about inputs and enums; and the typed
// documents `pnpm codegen` generates from them (and from clients/operations) into @watchflixx/clients.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Kind, parse, type DocumentNode, type OperationTypeNode } from "graphql";
import * as clients from "@watchflixx/clients";
import { CONTRACT_DIR } from "@watchflixx/testing";

export interface ContractFile {
  /** Relative to CONTRACT_DIR, e.g. `web/auth.graphql`. */
  file: string;
  /** The whole file: what a client sends, with `operationName` picking one operation. */
  source: string;
  document: DocumentNode;
}

export interface ContractOperation {
  file: string;
  name: string;
  kind: OperationTypeNode;
  /** The operation's own text (for validating it alone). */
  text: string;
  /** The whole file it lives in. */
  source: string;
}

function graphqlFiles(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) return graphqlFiles(path.join(dir, entry.name), relative);
      return entry.isFile() && entry.name.endsWith(".graphql") ? [relative] : [];
    })
    .sort();
}

function loadFiles(): ContractFile[] {
  const files = graphqlFiles(CONTRACT_DIR);
  if (files.length === 0) throw new Error(`no .graphql files under ${CONTRACT_DIR}`);
  return files.map((file) => {
    const source = readFileSync(path.join(CONTRACT_DIR, file), "utf8");
    return { file, source, document: parse(source) };
  });
}

function loadOperations(files: readonly ContractFile[]): ContractOperation[] {
  const operations: ContractOperation[] = [];
  for (const { file, source, document } of files) {
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      if (!definition.name || !definition.loc) throw new Error(`${file}: every contract operation must be named`);
      const name = definition.name.value;
      const clash = operations.find((operation) => operation.name === name);
      if (clash) throw new Error(`the operation ${name} is defined in both ${clash.file} and ${file}`);
      operations.push({ file, name, kind: definition.operation, text: source.slice(definition.loc.start, definition.loc.end), source });
    }
  }
  return operations;
}

export const contractFiles = loadFiles();
export const contractOperations = loadOperations(contractFiles);

export function contractOperation(name: string): ContractOperation {
  const operation = contractOperations.find((candidate) => candidate.name === name);
  if (!operation) throw new Error(`the contract has no operation named ${name}`);
  return operation;
}

/** The name of the one operation of a typed document (`SignUpDocument` → `SignUp`). */
export function operationName(document: DocumentNode): string {
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const [operation] = operations;
  if (operations.length !== 1 || !operation?.name) throw new Error("a typed document holds exactly one named operation");
  return operation.name.value;
}

function isDocument(value: unknown): value is DocumentNode {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === Kind.DOCUMENT;
}

/** Every typed document @watchflixx/clients exports (`<Name>Document`), by operation name. */
export const typedDocuments: ReadonlyMap<string, DocumentNode> = new Map(
  Object.values(clients)
    .filter(isDocument)
    .map((document) => [operationName(document), document] as const),
);

export const README = readFileSync(path.join(CONTRACT_DIR, "README.md"), "utf8");

/** The rows of the README table that follows `heading` (cells without the outer pipes; header and rule skipped). */
export function readmeTable(heading: string): string[][] {
  const lines = README.split("\n");
  const start = lines.findIndex((line) => line.trim().startsWith(heading));
  if (start < 0) throw new Error(`README.md has no "${heading}"`);
  const rows: string[][] = [];
  let inTable = false;
  for (const line of lines.slice(start + 1)) {
    if (line.trim().startsWith("|")) {
      inTable = true;
      rows.push(line.trim().replace(/^\||\|$/g, "").split("|").map((cell) => cell.trim()));
    } else if (inTable) {
      break;
    }
  }
  return rows.slice(2);
}

/** The backticked pieces of a README cell: "`a: B!`, `c`" → ["a: B!", "c"]. */
export function backticked(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? "");
}
