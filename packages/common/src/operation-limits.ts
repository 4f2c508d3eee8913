// Operation limits: what a GraphQL document may ask for, measured on the parsed document BEFORE validation and
// query planning. graphql-js runs every validation rule in one pass (OverlappingFieldsCanBeMerged among them,
// quadratic in same-named fields) and the gateway's planner is slower still, so a hostile document must be
// refused here, in time linear in its size. The gateway (HTTP and WebSocket) and every subgraph (which can be
// reached on its own port) apply the same limits.
import {
  GraphQLError,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  Lexer,
  Source,
  TokenKind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";
import type { BaseConfig } from "./config.ts";

export interface OperationLimits {
  /** Nesting of fields: `{ a { b } }` is 2. */
  maxDepth: number;
  /** Aliases anywhere in the document. */
  maxAliases: number;
  /** Root fields of one operation (fragments on the root type included). */
  maxRootFields: number;
  /** Lexical tokens of the whole document (what a client sends, all its operations and fragments). */
  maxTokens: number;
  /** The most values an answer could hold: each field counts 1, a list field multiplies what it holds by its size. */
  maxCost: number;
  /** The size assumed for a list field with no `first`/`last`/`limit` argument and no declared size. */
  defaultListSize: number;
  /** Declared sizes of unbounded list fields, by `Type.field`. */
  listSizes: Readonly<Record<string, number>>;
}

/** Declared sizes of the lists no argument bounds (a title's seasons, a season's episodes, its credits). */
export const DEFAULT_LIST_SIZES: Readonly<Record<string, number>> = {
  "Content.seasons": 20,
  "Season.episodes": 30,
  "Content.cast": 50,
  "Content.crew": 50,
  "Content.subtitles": 20,
};

/**
 * Defaults: the contract's largest operation is far below each of these (operation-limits.test.ts in
 * tests/contract prints every operation's figures next to them).
 */
export const DEFAULT_OPERATION_LIMITS: OperationLimits = {
  maxDepth: 10,
  maxAliases: 30,
  maxRootFields: 20,
  maxTokens: 3_000,
  maxCost: 25_000,
  defaultListSize: 20,
  listSizes: DEFAULT_LIST_SIZES,
};

export const OPERATION_TOO_COMPLEX = "OPERATION_TOO_COMPLEX";

export type OperationLimitName = "maxDepth" | "maxAliases" | "maxRootFields" | "maxTokens" | "maxCost";

const LIMIT_WORDS: Record<OperationLimitName, string> = {
  maxDepth: "nests fields too deeply",
  maxAliases: "has too many aliases",
  maxRootFields: "asks for too many root fields",
  maxTokens: "is too long",
  maxCost: "could return too much data",
};

/** One refusal, naming the limit hit, its value and what the document measured (HTTP 400, like validation). */
export class OperationTooComplexError extends GraphQLError {
  constructor(limit: OperationLimitName, max: number, measured: number) {
    super(`The operation ${LIMIT_WORDS[limit]}: ${limit} is ${max}, it has ${measured === Infinity ? "more" : measured}.`, {
      extensions: { code: OPERATION_TOO_COMPLEX, limit, max, measured: measured === Infinity ? null : measured, http: { status: 400 } },
    });
  }
}

/** Tokens in `source`, counting stops one past `max`; a lexical error stops counting (the parser reports it). */
export function countTokens(source: string, max = Infinity): number {
  const lexer = new Lexer(new Source(source));
  let count = 0;
  try {
    while (count <= max && lexer.advance().kind !== TokenKind.EOF) count++;
  } catch {
    // Not our error to report: parse() will say what is wrong with the text.
  }
  return count;
}

/** Refuses a document with more than `maxTokens` tokens, before it is parsed. */
export function checkDocumentSource(source: string, limits: Pick<OperationLimits, "maxTokens">): void {
  // A token is at least one character: a short text cannot be over the limit, no need to lex it twice.
  if (source.length <= limits.maxTokens) return;
  const tokens = countTokens(source, limits.maxTokens);
  if (tokens > limits.maxTokens) throw new OperationTooComplexError("maxTokens", limits.maxTokens, Infinity);
}

export interface OperationMeasures {
  depth: number;
  rootFields: number;
  cost: number;
}

export interface DocumentMeasures {
  aliases: number;
  /** By operation name (`<anonymous>` for an unnamed one). */
  operations: Map<string, OperationMeasures>;
}

const SIZE_ARGUMENTS = new Set(["first", "last", "limit"]);
/** Introspection (off in production) is exempt from depth and cost: Sandbox's own query nests type references deeply. */
const INTROSPECTION_ROOTS = new Set(["__schema", "__type"]);

interface Measure {
  depth: number;
  cost: number;
}

/**
 * Measures a parsed (not yet validated) document against a schema: unknown fields and types count as plain
 * fields (validation refuses them next), fragment cycles count nothing (validation refuses them too), and each
 * fragment is measured once per place it can start from, so nested fragment spreads cannot blow up the work.
 */
export function measureDocument(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Readonly<Record<string, unknown>> | undefined,
  limits: Pick<OperationLimits, "defaultListSize" | "listSizes">,
): DocumentMeasures {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let aliases = 0;
  const countAliases = (selectionSet: SelectionSetNode): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD && selection.alias) aliases++;
      if (selection.kind !== Kind.FRAGMENT_SPREAD && selection.selectionSet) countAliases(selection.selectionSet);
    }
  };
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    if (definition.kind === Kind.FRAGMENT_DEFINITION || definition.kind === Kind.OPERATION_DEFINITION) countAliases(definition.selectionSet);
  }

  const memo = new Map<string, Measure>();
  const visiting = new Set<string>();

  const intValue = (node: ValueNode): number | undefined => {
    if (node.kind === Kind.INT) return Number.parseInt(node.value, 10);
    if (node.kind === Kind.VARIABLE) {
      const value = variables?.[node.name.value];
      return typeof value === "number" && Number.isInteger(value) ? value : undefined;
    }
    return undefined;
  };

  const listLength = (node: ValueNode): number | undefined => {
    if (node.kind === Kind.LIST) return node.values.length;
    if (node.kind === Kind.VARIABLE) {
      const value = variables?.[node.name.value];
      return Array.isArray(value) ? value.length : undefined;
    }
    return undefined;
  };

  /** The size argument's value, when the field has one (`first: 20`, `limit: $n`). */
  const sizeArgument = (field: FieldNode): number | undefined => {
    for (const argument of field.arguments ?? []) {
      if (!SIZE_ARGUMENTS.has(argument.name.value)) continue;
      const value = intValue(argument.value);
      if (value !== undefined) return Math.max(value, 0);
    }
    return undefined;
  };

  const fieldDefinition = (parent: GraphQLNamedType | undefined, name: string): GraphQLField<unknown, unknown> | undefined =>
    parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined;

  const measureField = (field: FieldNode, parent: GraphQLNamedType | undefined, pageSize: number | undefined): Measure => {
    const name = field.name.value;
    if (INTROSPECTION_ROOTS.has(name)) return { depth: 0, cost: 0 };
    if (name === "__typename") return { depth: 1, cost: 0 };
    const definition = fieldDefinition(parent, name);
    const type = definition ? getNamedType(definition.type) : undefined;
    if (!field.selectionSet) return { depth: 1, cost: 1 };
    const own = sizeArgument(field);
    const isList = definition ? isListType(getNullableType(definition.type)) : false;
    let size = 1;
    let carried: number | undefined;
    if (name === "_entities") {
      // A subgraph's entity fetch: one result per representation.
      const representations = field.arguments?.find((argument) => argument.name.value === "representations");
      size = (representations && listLength(representations.value)) ?? limits.defaultListSize;
    } else if (isList) {
      size = own ?? pageSize ?? (parent ? limits.listSizes[`${parent.name}.${name}`] : undefined) ?? limits.defaultListSize;
    } else if (own !== undefined) {
      // A connection (`browse(first: 20) { edges { ... } }`): its page size bounds the list inside it.
      carried = own;
    }
    const inner = measureSelectionSet(field.selectionSet, type && isCompositeType(type) ? type : undefined, carried);
    return { depth: 1 + inner.depth, cost: size * (1 + inner.cost) };
  };

  const measureSelectionSet = (selectionSet: SelectionSetNode, parent: GraphQLNamedType | undefined, pageSize: number | undefined): Measure => {
    let depth = 0;
    let cost = 0;
    for (const selection of selectionSet.selections) {
      let measure: Measure;
      if (selection.kind === Kind.FIELD) {
        measure = measureField(selection, parent, pageSize);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typeName = selection.typeCondition?.name.value;
        measure = measureSelectionSet(selection.selectionSet, typeName ? schema.getType(typeName) : parent, pageSize);
      } else {
        measure = measureFragment(selection.name.value, pageSize);
      }
      depth = Math.max(depth, measure.depth);
      cost += measure.cost;
    }
    return { depth, cost };
  };

  const measureFragment = (name: string, pageSize: number | undefined): Measure => {
    const key = `${name}:${pageSize ?? ""}`;
    const known = memo.get(key);
    if (known) return known;
    const fragment = fragments.get(name);
    if (!fragment || visiting.has(name)) return { depth: 0, cost: 0 };
    visiting.add(name);
    const measure = measureSelectionSet(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value), pageSize);
    visiting.delete(name);
    memo.set(key, measure);
    return measure;
  };

  const rootFieldCount = (selectionSet: SelectionSetNode, seen: Set<string>): number => {
    let count = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) count += selection.name.value === "__typename" ? 0 : 1;
      else if (selection.kind === Kind.INLINE_FRAGMENT) count += rootFieldCount(selection.selectionSet, seen);
      else {
        const fragment = fragments.get(selection.name.value);
        if (fragment && !seen.has(fragment.name.value)) {
          seen.add(fragment.name.value);
          count += rootFieldCount(fragment.selectionSet, seen);
        }
      }
    }
    return count;
  };

  const operations = new Map<string, OperationMeasures>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const root = rootType(schema, definition);
    const { depth, cost } = measureSelectionSet(definition.selectionSet, root, undefined);
    operations.set(definition.name?.value ?? "<anonymous>", { depth, cost, rootFields: rootFieldCount(definition.selectionSet, new Set()) });
  }
  return { aliases, operations };
}

function rootType(schema: GraphQLSchema, operation: OperationDefinitionNode): GraphQLNamedType | undefined {
  if (operation.operation === "query") return schema.getQueryType() ?? undefined;
  if (operation.operation === "mutation") return schema.getMutationType() ?? undefined;
  return schema.getSubscriptionType() ?? undefined;
}

/**
 * Throws OperationTooComplexError for the first limit the document exceeds. Every operation of the document is
 * held to the limits, not only the one asked for: validation goes through all of them.
 */
export function checkOperationLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Readonly<Record<string, unknown>> | undefined,
  limits: OperationLimits,
): DocumentMeasures {
  const measures = measureDocument(schema, document, variables, limits);
  if (measures.aliases > limits.maxAliases) throw new OperationTooComplexError("maxAliases", limits.maxAliases, measures.aliases);
  for (const operation of measures.operations.values()) {
    if (operation.rootFields > limits.maxRootFields) throw new OperationTooComplexError("maxRootFields", limits.maxRootFields, operation.rootFields);
    if (operation.depth > limits.maxDepth) throw new OperationTooComplexError("maxDepth", limits.maxDepth, operation.depth);
    if (operation.cost > limits.maxCost) throw new OperationTooComplexError("maxCost", limits.maxCost, operation.cost);
  }
  return measures;
}

/** The limits a service's configuration sets (OPERATION_* variables, see the README). */
export function operationLimitsOf(config: BaseConfig): OperationLimits {
  return {
    maxDepth: config.OPERATION_MAX_DEPTH,
    maxAliases: config.OPERATION_MAX_ALIASES,
    maxRootFields: config.OPERATION_MAX_ROOT_FIELDS,
    maxTokens: config.OPERATION_MAX_TOKENS,
    maxCost: config.OPERATION_MAX_COST,
    defaultListSize: config.OPERATION_LIST_SIZE,
    listSizes: config.OPERATION_LIST_SIZES,
  };
}
