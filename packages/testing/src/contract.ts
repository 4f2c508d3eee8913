// The client contract's operations (../shared/operations beside the repository), read exactly as the web and TV
// clients ship them: one named operation at a time, cut from its file by source location.
import { readFileSync } from "node:fs";
import path from "node:path";
import { buildSchema, Kind, parse, print, validate, visit, type GraphQLSchema } from "graphql";
import { repositoryRoot } from "@watchflixx/common";

export const CONTRACT_DIR = path.resolve(repositoryRoot, "../shared/operations");

/** Operation name → that operation's text, for one contract file (e.g. "web/auth.graphql"). */
export function contractOperations(file: string): Map<string, string> {
  const source = readFileSync(path.join(CONTRACT_DIR, file), "utf8");
  const operations = new Map<string, string>();
  for (const definition of parse(source).definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION && definition.name && definition.loc) {
      operations.set(definition.name.value, source.slice(definition.loc.start, definition.loc.end));
    }
  }
  return operations;
}

/** The operation `name` of a contract file, as text. */
export function contractOperation(file: string, name: string): string {
  const text = contractOperations(file).get(name);
  if (!text) throw new Error(`${file} has no operation ${name}`);
  return text;
}

/** Every operation name of a contract file. */
export function contractOperationNames(file: string): string[] {
  return [...contractOperations(file).keys()];
}

/**
 * The operation without the named fields (those owned by subgraphs a test does not start), with the variables
 * only those fields used removed too.
 */
export function withoutFields(text: string, fields: string[]): string {
  const pruned = visit(parse(text), {
    Field(node) {
      return fields.includes(node.name.value) ? null : undefined;
    },
  });
  return print(
    visit(pruned, {
      OperationDefinition(operation) {
        const used = new Set<string>();
        visit(operation.selectionSet, {
          Variable(node) {
            used.add(node.name.value);
          },
        });
        return { ...operation, variableDefinitions: operation.variableDefinitions?.filter((d) => used.has(d.variable.name.value)) };
      },
    }),
  );
}

/** A schema to validate operations against, from a composed supergraph SDL. */
export function supergraphSchema(supergraphSdl: string): GraphQLSchema {
  return buildSchema(supergraphSdl, { assumeValidSDL: true });
}

export function validationErrors(schema: GraphQLSchema, text: string): string[] {
  return validate(schema, parse(text)).map((error) => error.message);
}
