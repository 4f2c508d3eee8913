// The client contract's operations (shared/operations beside the repository), as the files spell them. When a
// subgraph is not running, the fields the composed supergraph does not have are removed (and reported), so
// that the benchmark still runs what it can.
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  buildClientSchema,
  getIntrospectionQuery,
  Kind,
  parse,
  print,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
  type IntrospectionQuery,
  type OperationDefinitionNode,
} from "graphql";
import { repositoryRoot } from "@watchflixx/common";
import type { GraphQLClient } from "@watchflixx/testing";

export const CONTRACT_DIR = path.resolve(repositoryRoot, "../shared/operations");

export interface ContractOperation {
  file: string;
  name: string;
  /** The text sent (the contract's, or a pruned copy). */
  text: string;
  /** Fields removed because the running supergraph does not have them (empty: the contract's text as is). */
  removed: string[];
}

/** The operation `name` of `file` (relative to shared/operations), exactly as written there. */
export function contractText(file: string, name: string): string {
  const source = readFileSync(path.join(CONTRACT_DIR, file), "utf8");
  for (const definition of parse(source).definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION && definition.name?.value === name && definition.loc) {
      return source.slice(definition.loc.start, definition.loc.end);
    }
  }
  throw new Error(`${file} has no operation ${name}`);
}

/** The gateway's API schema, read through introspection (on in the test configuration). */
export async function gatewaySchema(client: GraphQLClient): Promise<GraphQLSchema> {
  const result = await client.request<IntrospectionQuery>(getIntrospectionQuery());
  if (!result.data) throw new Error(`introspection failed: ${JSON.stringify(result.errors)}`);
  return buildClientSchema(result.data);
}

function usedVariables(operation: OperationDefinitionNode): Set<string> {
  const used = new Set<string>();
  visit(operation.selectionSet, {
    Variable(node) {
      used.add(node.name.value);
    },
  });
  return used;
}

/** Removes fields the schema lacks, then selections left empty and variables left unused, until it validates. */
function prune(document: DocumentNode, schema: GraphQLSchema): { document: DocumentNode; removed: string[] } {
  const removed: string[] = [];
  let current = document;
  for (let round = 0; round < 10 && validate(schema, current).length > 0; round += 1) {
    const typeInfo = new TypeInfo(schema);
    const trail: string[] = [];
    current = visit(
      current,
      visitWithTypeInfo(typeInfo, {
        Field: {
          enter(node) {
            const name = node.alias?.value ?? node.name.value;
            if (!typeInfo.getFieldDef()) {
              removed.push([...trail, name].join("."));
              return null;
            }
            trail.push(name);
            return undefined;
          },
          leave(node) {
            trail.pop();
            if (node.selectionSet && node.selectionSet.selections.length === 0) {
              removed.push([...trail, node.alias?.value ?? node.name.value].join("."));
              return null;
            }
            return undefined;
          },
        },
      }),
    );
    current = visit(current, {
      OperationDefinition(node) {
        const used = usedVariables(node);
        const variableDefinitions = (node.variableDefinitions ?? []).filter((definition) => used.has(definition.variable.name.value));
        return { ...node, variableDefinitions };
      },
    });
  }
  const errors = validate(schema, current);
  if (errors.length > 0) throw new Error(`the operation does not validate even after pruning: ${errors.map((e) => e.message).join("; ")}`);
  return { document: current, removed };
}

/** The contract's operation, pruned to what the running supergraph serves. */
export function contractOperation(schema: GraphQLSchema, file: string, name: string): ContractOperation {
  const text = contractText(file, name);
  const document = parse(text);
  if (validate(schema, document).length === 0) return { file, name, text, removed: [] };
  const pruned = prune(document, schema);
  return { file, name, text: print(pruned.document), removed: pruned.removed };
}
