// The client contract's documents (/work/shared/operations), cut down to what a partial supergraph serves:
// fields the composed schema does not have yet (owned by subgraphs not in the test) are removed, and the
// test checks that only those were removed and that what is left validates.
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  buildSchema,
  Kind,
  parse,
  print,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import { repositoryRoot } from "@watchflixx/common";

export const OPERATIONS_DIR = path.resolve(repositoryRoot, "../shared/operations");

export function readOperations(relative: string): DocumentNode {
  return parse(readFileSync(path.join(OPERATIONS_DIR, relative), "utf8"));
}

/** The API schema of a supergraph SDL, good enough to validate client documents against. */
export function supergraphApiSchema(supergraphSdl: string): GraphQLSchema {
  return buildSchema(supergraphSdl, { assumeValidSDL: true });
}

export interface Reduced {
  document: DocumentNode;
  /** "Type.field" of every selection removed because the schema lacks it. */
  removed: string[];
}

function withoutEmptySelections(document: DocumentNode): DocumentNode {
  let current = document;
  for (;;) {
    let changed = false;
    current = visit(current, {
      Field: {
        leave(node) {
          if (node.selectionSet && node.selectionSet.selections.length === 0) {
            changed = true;
            return null;
          }
          return undefined;
        },
      },
      InlineFragment: {
        leave(node) {
          if (node.selectionSet.selections.length === 0) {
            changed = true;
            return null;
          }
          return undefined;
        },
      },
    });
    if (!changed) return current;
  }
}

function withoutUnusedVariables(operation: OperationDefinitionNode): OperationDefinitionNode {
  const used = new Set<string>();
  visit(operation.selectionSet, {
    Variable(node) {
      used.add(node.name.value);
    },
  });
  return { ...operation, variableDefinitions: operation.variableDefinitions?.filter((definition) => used.has(definition.variable.name.value)) };
}

/** Removes what `schema` does not have; operations left with nothing are dropped. */
export function reduceToSchema(document: DocumentNode, schema: GraphQLSchema): Reduced {
  const removed: string[] = [];
  const typeInfo = new TypeInfo(schema);
  const pruned = visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        if (typeInfo.getFieldDef()) return undefined;
        removed.push(`${typeInfo.getParentType()?.name ?? "?"}.${node.name.value}`);
        return null;
      },
    }),
  );
  const compact = withoutEmptySelections(pruned);
  const definitions = compact.definitions
    .filter((definition) => definition.kind !== Kind.OPERATION_DEFINITION || definition.selectionSet.selections.length > 0)
    .map((definition) => (definition.kind === Kind.OPERATION_DEFINITION ? withoutUnusedVariables(definition) : definition));
  const reduced: DocumentNode = { ...compact, definitions };
  const errors = validate(schema, reduced);
  if (errors.length > 0) throw new Error(`reduced document does not validate:\n${errors.map((e) => e.message).join("\n")}\n${print(reduced)}`);
  return { document: reduced, removed };
}

/** One named operation of a document (with its fragments), as a string to send. */
export function operation(document: DocumentNode, name: string): string {
  const found = document.definitions.find(
    (definition) => definition.kind === Kind.OPERATION_DEFINITION && definition.name?.value === name,
  );
  if (!found) throw new Error(`no operation ${name}`);
  const fragments = document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION);
  return print({ kind: Kind.DOCUMENT, definitions: [found, ...fragments] });
}
