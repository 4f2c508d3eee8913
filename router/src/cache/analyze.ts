// Reads one subgraph fetch (the operation text the query planner wrote) against the supergraph's API schema:
// may its result be cached (every field selected cacheable by the supergraph's hints, policy.ts), for how long,
// shared or only for the caller's account (PRIVATE: some field is),
// where the variables carry a viewer profile (replaced in the key by that profile's maturity limit), and which
// entities an answer holds (the tags that events drop). Analyses are memoised by operation text: a planner writes few distinct ones.
import {
  getNamedType,
  print,
  visit,
  type ASTNode,
  type DocumentNode,
  type OperationDefinitionNode,
  type SelectionNode,
  isAbstractType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  parse,
  isInputObjectType,
  type FieldNode,
  type GraphQLInputType,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";
import { PROFILE_ARGUMENT, type CachePolicy, type CacheScope } from "./policy.ts";

export interface FetchAnalysis {
  cacheable: boolean;
  /** PUBLIC: one entry for every caller (at one maturity limit); PRIVATE: per account (store.ts). */
  scope: CacheScope;
  /** Seconds: the smallest maxAge of the fields selected. */
  maxAge: number;
  /** An `_entities` fetch (cached per representation) rather than root fields (cached as one answer). */
  entities: boolean;
  /** Variables that only ever fill a `profileId` argument. */
  profileVariables: string[];
  /** Every place of the variables a profile id can fill (those variables, and `profileId` inside input objects). */
  profileSlots: ProfileSlot[];
  /** Root fields (root fetches). */
  rootFields: string[];
  /** Why not cacheable (logs and tests). */
  reason?: string;
  /** A mutation's fetch: its operation, for what its answer drops (entity-cache.ts `afterMutation`). */
  mutation?: OperationDefinitionNode;
  /** An `_entities` fetch not cacheable whole, but whose cacheable fields can be asked apart (data-source.ts). */
  split?: FetchSplit;
  document?: { selections: SelectionSetNode; fragments: Map<string, FragmentDefinitionNode> };
}

/** One part of a split fetch: its operation text and the variables it declares. */
export interface FetchPart {
  query: string;
  variables: string[];
}

export interface FetchSplit {
  /** The fields every caller at one maturity limit shares: a cacheable `_entities` fetch. */
  cacheable: FetchPart;
  /** The rest (the caller's own fields): kept per account when they all have a maxAge, else asked every time. */
  uncacheable: FetchPart;
}

class NotCacheable extends Error {}

function unwrap(type: GraphQLOutputType): { named: GraphQLNamedType; list: boolean } {
  let current: GraphQLOutputType = type;
  let list = false;
  while (isNonNullType(current) || isListType(current)) {
    if (isListType(current)) list = true;
    current = current.ofType;
  }
  return { named: getNamedType(current), list };
}

/** Where a profile id comes in at run time: a variable, or a `profileId` field inside an input-object variable. */
export interface ProfileSlot {
  variable: string;
  /** Within the variable's value ([]: the variable is the id). */
  path: string[];
}

/** How an operation's arguments can name a profile. */
export interface ProfileUse {
  slots: ProfileSlot[];
  /** A `profileId` written in the document. */
  literal: boolean;
  /** One that cannot be followed (inside a list of input objects). */
  opaque: boolean;
  /** Variables used as anything else. */
  otherVariables: Set<string>;
}

export const noProfileUse = (): ProfileUse => ({ slots: [], literal: false, opaque: false, otherVariables: new Set() });

/** The paths of `profileId` fields inside an input type; null when one sits inside a list. */
function profilePaths(type: GraphQLInputType, seen: ReadonlySet<string>): string[][] | null {
  const named = getNamedType(type);
  if (!isInputObjectType(named) || seen.has(named.name)) return [];
  const paths: string[][] = [];
  for (const field of Object.values(named.getFields())) {
    if (field.name === PROFILE_ARGUMENT) {
      paths.push([field.name]);
      continue;
    }
    const inner = profilePaths(field.type, new Set([...seen, named.name]));
    if (inner === null || (inner.length > 0 && isListType(isNonNullType(field.type) ? field.type.ofType : field.type))) return null;
    for (const path of inner) paths.push([field.name, ...path]);
  }
  return paths;
}

/** Every way one argument value (of `type`, named `name`) can carry a profile id, typed by the schema. */
export function collectProfileUse(value: ValueNode, type: GraphQLInputType | undefined, name: string, use: ProfileUse): void {
  if (value.kind === Kind.VARIABLE) {
    const variable = value.name.value;
    if (name === PROFILE_ARGUMENT) {
      use.slots.push({ variable, path: [] });
      return;
    }
    const paths = type ? profilePaths(type, new Set()) : [];
    if (paths === null) use.opaque = true;
    else if (paths.length === 0) use.otherVariables.add(variable);
    else for (const path of paths) use.slots.push({ variable, path });
    return;
  }
  if (name === PROFILE_ARGUMENT && value.kind !== Kind.NULL) {
    use.literal = true;
    return;
  }
  const named = type ? getNamedType(type) : undefined;
  if (value.kind === Kind.OBJECT) {
    for (const field of value.fields) collectProfileUse(field.value, isInputObjectType(named) ? named.getFields()[field.name.value]?.type : undefined, field.name.value, use);
  }
  if (value.kind === Kind.LIST) {
    const item = type && isNonNullType(type) ? type.ofType : type;
    for (const entry of value.values) collectProfileUse(entry, item && isListType(item) ? item.ofType : undefined, "", use);
  }
}

/** The value at a slot of the variables (undefined when absent on the way). */
export function valueAtSlot(variables: Record<string, unknown> | undefined, slot: ProfileSlot): unknown {
  let value: unknown = variables?.[slot.variable];
  for (const key of slot.path) value = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

export function analyzeFetch(schema: GraphQLSchema, policy: CachePolicy, query: string, allowSplit = true): FetchAnalysis {
  const notCacheable = (reason: string): FetchAnalysis => ({ cacheable: false, scope: "PUBLIC", maxAge: 0, entities: false, profileVariables: [], profileSlots: [], rootFields: [], reason });
  let document;
  try {
    document = parse(query);
  } catch {
    return notCacheable("unparsable");
  }
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const operation = operations[0];
  if (operations.length !== 1 || !operation || operation.kind !== Kind.OPERATION_DEFINITION || operation.operation !== "query") {
    return { ...notCacheable("not a query"), ...(operations.length === 1 && operation?.operation === "mutation" ? { mutation: operation } : {}) };
  }
  const use = noProfileUse();
  let maxAge = Number.POSITIVE_INFINITY;
  let scope = "PUBLIC" as CacheScope; // (set inside walk: TypeScript cannot see it)

  const walk = (selections: SelectionSetNode, type: GraphQLNamedType): void => {
    for (const selection of selections.selections) {
      if (selection.directives?.length) throw new NotCacheable("a directive");
      if (selection.kind === Kind.INLINE_FRAGMENT || selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
        if (!fragment) throw new NotCacheable("an unknown fragment");
        const on = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : type;
        if (!on) throw new NotCacheable("an unknown type");
        walk(fragment.selectionSet, on);
        continue;
      }
      const fieldName = selection.name.value;
      if (fieldName === "__typename") continue;
      if (!isObjectType(type)) throw new NotCacheable(`${fieldName} on the abstract type ${type.name}`);
      const hint = policy.cacheableHintOf(type.name, fieldName);
      const definition = type.getFields()[fieldName];
      if (!hint || !definition) throw new NotCacheable(`${type.name}.${fieldName} has no maxAge`);
      maxAge = Math.min(maxAge, hint.maxAge);
      if (hint.scope === "PRIVATE") scope = "PRIVATE";
      for (const argument of selection.arguments ?? []) {
        collectProfileUse(argument.value, definition.args.find((arg) => arg.name === argument.name.value)?.type, argument.name.value, use);
      }
      if (use.literal) throw new NotCacheable("a literal profileId");
      if (use.opaque) throw new NotCacheable("a profileId inside a list");
      if (selection.selectionSet) walk(selection.selectionSet, unwrap(definition.type).named);
    }
  };

  const queryType = schema.getQueryType();
  if (!queryType) return notCacheable("no Query type");
  const rootFields: string[] = [];
  let entities = false;
  try {
    for (const selection of operation.selectionSet.selections) {
      if (selection.kind !== Kind.FIELD) throw new NotCacheable("a fragment at the root");
      if (selection.directives?.length) throw new NotCacheable("a directive");
      if (selection.name.value === "_entities") {
        entities = true;
        if (!selection.selectionSet) throw new NotCacheable("_entities without a selection");
        for (const argument of selection.arguments ?? []) {
          if (argument.name.value !== "representations" || argument.value.kind !== Kind.VARIABLE) throw new NotCacheable("unexpected _entities arguments");
        }
        walk(selection.selectionSet, queryType); // only fragments on entity types (and __typename) in there
        continue;
      }
      if (selection.name.value === "__typename") continue;
      rootFields.push(selection.name.value);
      walk({ kind: Kind.SELECTION_SET, selections: [selection] }, queryType);
    }
    if (entities && rootFields.length > 0) throw new NotCacheable("_entities beside root fields");
    for (const { variable } of use.slots) if (use.otherVariables.has(variable)) throw new NotCacheable(`$${variable} used outside profileId`);
  } catch (error) {
    if (!(error instanceof NotCacheable)) throw error;
    const split = allowSplit && entities ? splitEntitiesFetch(schema, policy, operation) : undefined;
    return { ...notCacheable(error.message), ...(split ? { split } : {}) };
  }
  if (!Number.isFinite(maxAge) || maxAge <= 0) return notCacheable("no field with a maxAge");
  // The caller's fields beside shared ones: the shared part is worth its own, shared entry.
  const split = scope === "PRIVATE" && allowSplit && entities ? splitEntitiesFetch(schema, policy, operation) : undefined;
  return {
    cacheable: true,
    scope,
    ...(split ? { split } : {}),
    maxAge,
    entities,
    profileVariables: [...new Set(use.slots.filter((slot) => slot.path.length === 0).map((slot) => slot.variable))],
    profileSlots: use.slots,
    rootFields,
    document: { selections: operation.selectionSet, fragments },
  };
}

/**
 * The entities an answer holds, as tags `<subgraph>:<Type>:<id>` (every object of the answer that has an id,
 * typed by the schema or its __typename), plus `<subgraph>:list` when a root field returns a list or a
 * connection (browse, search, trending, plans): membership changes with any catalog change.
 */
export function tagsOf(schema: GraphQLSchema, subgraph: string, selections: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, data: unknown, type: GraphQLNamedType, tags: Set<string>): void {
  if (Array.isArray(data)) {
    for (const item of data) tagsOf(schema, subgraph, selections, fragments, item, type, tags);
    return;
  }
  if (typeof data !== "object" || data === null) return;
  const record = data as Record<string, unknown>;
  const typename = typeof record.__typename === "string" ? record.__typename : type.name;
  const concrete = schema.getType(typename) ?? type;
  if (typeof record.id === "string" && concrete.name !== "Query") tags.add(`${subgraph}:${concrete.name}:${record.id}`);
  for (const selection of selections.selections) {
    if (selection.kind !== Kind.FIELD) {
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
      if (!fragment) continue;
      if (fragment.typeCondition && fragment.typeCondition.name.value !== concrete.name) continue;
      tagsOf(schema, subgraph, fragment.selectionSet, fragments, data, concrete, tags);
      continue;
    }
    const field: FieldNode = selection;
    if (!field.selectionSet || !isObjectType(concrete)) continue;
    const definition = concrete.getFields()[field.name.value];
    if (!definition) continue;
    const { named, list } = unwrap(definition.type);
    if (concrete.name === "Query" && (list || named.name.endsWith("Connection"))) tags.add(`${subgraph}:list`);
    if (isObjectType(named) || isAbstractType(named)) {
      tagsOf(schema, subgraph, field.selectionSet, fragments, record[field.alias?.value ?? field.name.value], named, tags);
    }
  }
}

function variablesIn(node: ASTNode): Set<string> {
  const names = new Set<string>();
  visit(node, { Variable: (variable) => void names.add(variable.name.value) });
  return names;
}

function partOf(operation: OperationDefinitionNode, entities: FieldNode, selections: readonly SelectionNode[]): FetchPart {
  const field: FieldNode = { ...entities, selectionSet: { kind: Kind.SELECTION_SET, selections } };
  const used = variablesIn(field);
  const variableDefinitions = (operation.variableDefinitions ?? []).filter((definition) => used.has(definition.variable.name.value));
  const document: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [{ ...operation, variableDefinitions, selectionSet: { kind: Kind.SELECTION_SET, selections: [field] } }],
  };
  return { query: print(document), variables: variableDefinitions.map((definition) => definition.variable.name.value) };
}

const isShared = (analysis: FetchAnalysis): boolean => analysis.cacheable && analysis.scope === "PUBLIC";

/**
 * An `_entities` fetch that mixes shared fields with the caller's own (ContentDetails asks streaming for the
 * rating average and the profile's progress at once), split at the top fields of each `... on Type`: the fields
 * that are cacheable alone form one fetch, the others another. Undefined when either would be empty, or when
 * the fetch uses named fragments or directives (the planner writes neither for entities).
 */
function splitEntitiesFetch(schema: GraphQLSchema, policy: CachePolicy, operation: OperationDefinitionNode): FetchSplit | undefined {
  const [entities, ...others] = operation.selectionSet.selections;
  if (others.length > 0 || entities?.kind !== Kind.FIELD || entities.name.value !== "_entities" || !entities.selectionSet) return undefined;
  const shared: SelectionNode[] = [];
  const own: SelectionNode[] = [];
  for (const selection of entities.selectionSet.selections) {
    if (selection.directives?.length) return undefined;
    if (selection.kind === Kind.FIELD && selection.name.value === "__typename") {
      shared.push(selection);
      own.push(selection);
      continue;
    }
    if (selection.kind !== Kind.INLINE_FRAGMENT || !selection.typeCondition) return undefined;
    const sharedFields: SelectionNode[] = [];
    const ownFields: SelectionNode[] = [];
    for (const field of selection.selectionSet.selections) {
      if (field.kind === Kind.FIELD && field.name.value === "__typename") {
        sharedFields.push(field);
        ownFields.push(field);
        continue;
      }
      const probe = partOf(operation, entities, [{ ...selection, selectionSet: { kind: Kind.SELECTION_SET, selections: [field] } }]);
      (isShared(analyzeFetch(schema, policy, probe.query, false)) ? sharedFields : ownFields).push(field);
    }
    const isTypename = (node: SelectionNode) => node.kind === Kind.FIELD && node.name.value === "__typename";
    if (!sharedFields.every(isTypename)) shared.push({ ...selection, selectionSet: { kind: Kind.SELECTION_SET, selections: sharedFields } });
    if (!ownFields.every(isTypename)) own.push({ ...selection, selectionSet: { kind: Kind.SELECTION_SET, selections: ownFields } });
  }
  const hasFragment = (selections: SelectionNode[]) => selections.some((node) => node.kind === Kind.INLINE_FRAGMENT);
  if (!hasFragment(shared) || !hasFragment(own)) return undefined;
  const cacheable = partOf(operation, entities, shared);
  if (!isShared(analyzeFetch(schema, policy, cacheable.query, false))) return undefined;
  return { cacheable, uncacheable: partOf(operation, entities, own) };
}
