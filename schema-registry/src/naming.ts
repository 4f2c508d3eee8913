// The contract: no GraphQL object type other than the root operation types may be named Query, Mutation or
// Subscription (the billing subscription is `BillingSubscription`, say). Checked on each subgraph's SDL, where
// the mistake is made: a data type named `Subscription` would otherwise silently become the subscription root.
import {
  Kind,
  parse,
  visit,
  type DocumentNode,
  type NamedTypeNode,
  type ObjectTypeDefinitionNode,
  type ObjectTypeExtensionNode,
  type OperationTypeDefinitionNode,
} from "graphql";
import type { SubgraphSource } from "./compose.ts";
import { issue, type Issue } from "./issues.ts";

const ROOT_NAMES = { Query: "query", Mutation: "mutation", Subscription: "subscription" } as const;
type RootName = keyof typeof ROOT_NAMES;

function isRootName(name: string): name is RootName {
  return Object.hasOwn(ROOT_NAMES, name);
}

/** The root operation types a document declares with `schema { ... }` / `extend schema { ... }`, if any. */
function declaredRoots(document: DocumentNode): Map<string, string> | null {
  const roots = new Map<string, string>();
  let declared = false;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    const operations: readonly OperationTypeDefinitionNode[] = definition.operationTypes ?? [];
    for (const operationType of operations) {
      declared = true;
      roots.set(operationType.operation, operationType.type.name.value);
    }
  }
  return declared ? roots : null;
}

/** Problems with root type names in one subgraph's SDL (empty when it follows the rule). */
export function rootTypeNameProblems(subgraph: SubgraphSource, document: DocumentNode = parse(subgraph.sdl)): string[] {
  const problems: string[] = [];
  const roots = declaredRoots(document);
  const objects = new Map<string, Array<ObjectTypeDefinitionNode | ObjectTypeExtensionNode>>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.OBJECT_TYPE_EXTENSION) {
      const list = objects.get(definition.name.value) ?? [];
      list.push(definition);
      objects.set(definition.name.value, list);
    }
  }

  // Where each root-named type is used as the type of a field or argument: a root type never is.
  const usedAt = new Map<string, string[]>();
  let parentName = "";
  let fieldName = "";
  let argumentName = "";
  const coordinate = () =>
    argumentName === "" ? `${parentName}.${fieldName}` : fieldName === "" ? `${parentName}.${argumentName}` : `${parentName}.${fieldName}(${argumentName}:)`;
  visit(document, {
    ObjectTypeDefinition: { enter: (node) => void (parentName = node.name.value) },
    ObjectTypeExtension: { enter: (node) => void (parentName = node.name.value) },
    InterfaceTypeDefinition: { enter: (node) => void (parentName = node.name.value) },
    InterfaceTypeExtension: { enter: (node) => void (parentName = node.name.value) },
    InputObjectTypeDefinition: {
      enter(node) {
        parentName = node.name.value;
        fieldName = "";
      },
    },
    FieldDefinition: { enter: (node) => void (fieldName = node.name.value) },
    InputValueDefinition: { enter: (node) => void (argumentName = node.name.value), leave: () => void (argumentName = "") },
    UnionTypeDefinition: {
      enter(node) {
        for (const member of node.types ?? []) record(member, `union ${node.name.value}`);
        return false;
      },
    },
    NamedType(node, _key, parent) {
      // Only type references inside field and argument definitions (not `implements` lists or directives).
      if (!parent || Array.isArray(parent) || !("kind" in parent)) return;
      const kind = (parent as { kind: string }).kind;
      if (kind === Kind.FIELD_DEFINITION || kind === Kind.INPUT_VALUE_DEFINITION || kind === Kind.LIST_TYPE || kind === Kind.NON_NULL_TYPE) {
        record(node, coordinate());
      }
    },
  });
  function record(node: NamedTypeNode, where: string) {
    if (!isRootName(node.name.value)) return;
    const list = usedAt.get(node.name.value) ?? [];
    if (!list.includes(where)) list.push(where);
    usedAt.set(node.name.value, list);
  }

  for (const [name, definitions] of objects) {
    if (!isRootName(name)) continue;
    const operation = ROOT_NAMES[name];
    const where = `in subgraph "${subgraph.name}"`;
    if (roots && roots.get(operation) !== name) {
      problems.push(`Object type "${name}" ${where} is not the ${operation} root type; only the root operation type may be named ${name}.`);
      continue;
    }
    const keyed = definitions.some((definition) => (definition.directives ?? []).some((directive) => directive.name.value === "key"));
    const uses = usedAt.get(name) ?? [];
    if (keyed || uses.length > 0) {
      const reason = keyed ? "it is an entity (@key)" : `it is the type of ${uses.map((use) => `"${use}"`).join(", ")}`;
      problems.push(
        `Object type "${name}" ${where} is a data type (${reason}), not the ${operation} root type; only the root operation type may be named ${name}. Rename it (e.g. "Billing${name}").`,
      );
    }
  }
  return problems;
}

export function rootTypeNameIssues(subgraphs: SubgraphSource[]): Issue[] {
  const issues: Issue[] = [];
  for (const subgraph of subgraphs) {
    let document: DocumentNode;
    try {
      document = parse(subgraph.sdl);
    } catch {
      continue; // Composition reports SDL that does not parse.
    }
    for (const problem of rootTypeNameProblems(subgraph, document)) issues.push(issue("ROOT_TYPE_NAME", problem));
  }
  return issues;
}
