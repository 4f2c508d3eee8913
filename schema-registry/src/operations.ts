// The client contract: every operation in ../shared/operations (and the project's own in clients/operations)
// must validate against the composed supergraph's API schema.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import {
  Kind,
  NoUnusedFragmentsRule,
  parse,
  specifiedRules,
  validate,
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import { issue, type Issue, type Note } from "./issues.ts";

export interface OperationsSource {
  /** The folder to read (recursively, `*.graphql`). */
  dir: string;
  /** How its files are named in reports: `web/catalog.graphql` for the shared contract, `clients/operations/x.graphql`. */
  label: (relativePath: string) => string;
  /** A folder that may be absent (the project's own operations); a missing contract folder is an error. */
  optional?: boolean;
}

export interface OperationFile {
  /** As reported: e.g. `web/catalog.graphql`. */
  name: string;
  text: string;
}

export function listGraphqlFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current).sort()) {
      const full = path.join(current, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry.endsWith(".graphql") || entry.endsWith(".gql")) files.push(full);
    }
  };
  walk(dir);
  return files;
}

/** Reads every source; a folder that does not exist is an error (the contract must be there to be checked). */
export function readOperationFiles(sources: OperationsSource[]): { files: OperationFile[]; missing: string[] } {
  const files: OperationFile[] = [];
  const missing: string[] = [];
  for (const source of sources) {
    if (!existsSync(source.dir)) {
      if (!source.optional) missing.push(source.dir);
      continue;
    }
    for (const file of listGraphqlFiles(source.dir)) {
      files.push({ name: source.label(path.relative(source.dir, file).split(path.sep).join("/")), text: readFileSync(file, "utf8") });
    }
  }
  return { files, missing };
}

function definitionName(definition: DefinitionNode): string {
  if (definition.kind === Kind.OPERATION_DEFINITION) return definition.name?.value ?? `(anonymous ${definition.operation})`;
  if (definition.kind === Kind.FRAGMENT_DEFINITION) return `fragment ${definition.name.value}`;
  return definition.kind;
}

/** The root fields an operation selects (top level, through inline fragments). */
function rootFieldNames(operation: OperationDefinitionNode): string[] {
  const names: string[] = [];
  const collect = (selections: OperationDefinitionNode["selectionSet"]["selections"]) => {
    for (const selection of selections) {
      if (selection.kind === Kind.FIELD) names.push(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet.selections);
    }
  };
  collect(operation.selectionSet.selections);
  return names;
}

/** Why an operation cannot be checked yet: a root field (or the root type) the supergraph does not have. */
function missingRoot(schema: GraphQLSchema, operation: OperationDefinitionNode): string | null {
  const root = schema.getRootType(operation.operation);
  if (!root) return `the supergraph has no ${operation.operation} type yet`;
  const fields = root.getFields();
  const missing = rootFieldNames(operation).filter((name) => name !== "__typename" && !fields[name]);
  return missing.length > 0 ? `${root.name}.${missing.join(`, ${root.name}.`)} not in the supergraph yet` : null;
}

/** graphql 16's rules accept an operation whose root type the schema lacks (a subscription, say); this does not. */
export function knownOperationType(schema: GraphQLSchema, operation: OperationDefinitionNode): GraphQLError[] {
  if (schema.getRootType(operation.operation)) return [];
  return [new GraphQLError(`The supergraph has no ${operation.operation} root type.`, { nodes: [operation] })];
}

export interface OperationsCheck {
  /** One line per problem: `OPERATION_INVALID: web/catalog.graphql Browse: Cannot query field ...`. */
  invalid: string[];
  /** Operations left out (only with `onlyExistingRootFields`). */
  skipped: string[];
  checked: number;
  /** `web/catalog.graphql Browse` for each operation (or file that does not parse) with a problem. */
  failed: string[];
}

/**
 * Validates every operation against the schema. Fragments may live in any file. With `onlyExistingRootFields`
 * (an interim aid while subgraphs are being built), operations that select a root field the supergraph does not
 * have yet are skipped and listed instead of failing.
 */
export function checkOperations(schema: GraphQLSchema, files: OperationFile[], options: { onlyExistingRootFields?: boolean } = {}): OperationsCheck {
  const result: OperationsCheck = { invalid: [], skipped: [], checked: 0, failed: [] };
  const parsed: Array<{ file: OperationFile; document: DocumentNode }> = [];
  for (const file of files) {
    try {
      parsed.push({ file, document: parse(file.text) });
    } catch (error) {
      result.invalid.push(`OPERATION_INVALID: ${file.name}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
      result.failed.push(file.name);
    }
  }
  const fragments: FragmentDefinitionNode[] = parsed.flatMap(({ document }) =>
    document.definitions.filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION),
  );
  const rules = specifiedRules.filter((rule) => rule !== NoUnusedFragmentsRule);

  for (const { file, document } of parsed) {
    const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
    for (const operation of operations) {
      const name = definitionName(operation);
      if (options.onlyExistingRootFields) {
        const reason = missingRoot(schema, operation);
        if (reason) {
          result.skipped.push(`${file.name} ${name}: ${reason}`);
          continue;
        }
      }
      result.checked += 1;
      const own = new Set(document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => (d as FragmentDefinitionNode).name.value));
      const single: DocumentNode = {
        kind: Kind.DOCUMENT,
        definitions: [operation, ...document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION), ...fragments.filter((f) => !own.has(f.name.value))],
      };
      const errors: readonly GraphQLError[] = [...knownOperationType(schema, operation), ...validate(schema, single, rules)];
      // Errors inside a fragment are reported against the operation that uses it.
      for (const error of errors) result.invalid.push(`OPERATION_INVALID: ${file.name} ${name}: ${error.message}`);
      if (errors.length > 0) result.failed.push(`${file.name} ${name}`);
    }
  }
  result.invalid = [...new Set(result.invalid)];
  return result;
}

export function operationIssues(check: OperationsCheck, missingDirs: string[]): Issue[] {
  const issues: Issue[] = [];
  for (const dir of missingDirs) {
    issues.push(issue("OPERATION_INVALID", `The operations folder ${dir} does not exist; the contract cannot be checked.`));
  }
  if (check.invalid.length > 0) {
    const count = check.failed.length;
    issues.push(
      issue("OPERATION_INVALID", `${count} operation${count === 1 ? "" : "s"} no longer validate${count === 1 ? "s" : ""} against the supergraph.`, check.invalid),
    );
  }
  return issues;
}

export function operationNotes(check: OperationsCheck): Note[] {
  return check.skipped.map((line) => ({ level: "warning", message: `operation not checked (--only-existing-root-fields): ${line}` }));
}
