// The client contract's operations (shared/operations beside the repository), exactly as the files spell them.
import { readFileSync } from "node:fs";
import path from "node:path";
import { buildSchema, Kind, parse, print, validate, visit, type GraphQLSchema } from "graphql";
import { repositoryRoot } from "@watchflixx/common";

const CONTRACT_DIR = path.resolve(repositoryRoot, "../shared/operations");

/** The operation `name` of a contract file, as text. */
export function contractOperation(file: string, name: string): string {
  const source = readFileSync(path.join(CONTRACT_DIR, file), "utf8");
  for (const definition of parse(source).definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION && definition.name?.value === name && definition.loc) {
      return source.slice(definition.loc.start, definition.loc.end);
    }
  }
  throw new Error(`${file} has no operation ${name}`);
}

/** Every operation name of a contract file. */
export function contractOperationNames(file: string): string[] {
  const source = readFileSync(path.join(CONTRACT_DIR, file), "utf8");
  return parse(source).definitions.flatMap((definition) =>
    definition.kind === Kind.OPERATION_DEFINITION && definition.name ? [definition.name.value] : [],
  );
}

/** The operation without the named fields (those of subgraphs a test does not start), unused variables kept out. */
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
        return { ...operation, variableDefinitions: operation.variableDefinitions?.filter((definition) => used.has(definition.variable.name.value)) };
      },
    }),
  );
}

export function apiSchema(supergraphSdl: string): GraphQLSchema {
  return buildSchema(supergraphSdl, { assumeValidSDL: true });
}

export function validationErrors(schema: GraphQLSchema, text: string): string[] {
  return validate(schema, parse(text)).map((error) => error.message);
}
