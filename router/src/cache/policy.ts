// What the entity cache may keep, and for how long: the `@cacheControl` hints the subgraphs declare (Apollo
// Server's directive, composed into the supergraph through `@composeDirective`; see packages/common's
// federation.ts), read from the supergraph SDL at each schema load. No gateway code names a type.
//
// A field's hint, the way Apollo Server's cache control reads static hints:
// - its own `@cacheControl`, if any (`inheritMaxAge: true`: its parent type's instead);
// - else, on a PRIVATE type: PRIVATE (what a caller's own object points at is theirs too, even a catalog title:
//   Apollo Server would make the whole response PRIVATE the same way);
// - else, for a field returning an object, interface or union: that type's hint;
// - else (a scalar or enum field): the hint of the type it belongs to;
// - root fields of Mutation and Subscription never have one.
// Default-deny: shared means PUBLIC with a maxAge above 0. PRIVATE with a maxAge above 0 (Apollo's meaning:
// cacheable for that caller): kept per account, never shared (store.ts). No hint, or maxAge 0: never stored.
// A subgraph fetch is cacheable only when every field it selects is; PRIVATE when any is (analyze.ts).
import { createHash } from "node:crypto";
import { Kind, parse, type ConstDirectiveNode, type DefinitionNode, type TypeNode } from "graphql";

export type CacheScope = "PUBLIC" | "PRIVATE";

export interface CacheHint {
  maxAge: number;
  scope: CacheScope;
}

interface DeclaredHint {
  maxAge?: number;
  scope?: CacheScope;
  inheritMaxAge?: boolean;
}

/** The spec URL the subgraphs link `@cacheControl` from (packages/common's CACHE_CONTROL_SPEC). */
const CACHE_CONTROL_SPEC = "https://watchflixx.dev/cacheControl/";

/**
 * The longest maxAge honoured: the invalidation listener replays this much event history at start, so an entry
 * can never outlive the events that would have dropped it.
 */
export const MAX_AGE_CAP = 900;

/** Arguments whose value selects a viewer profile: the cache replaces them by that profile's maturity limit. */
export const PROFILE_ARGUMENT = "profileId";

const COMPOSITE = new Set<string>([Kind.OBJECT_TYPE_DEFINITION, Kind.OBJECT_TYPE_EXTENSION, Kind.INTERFACE_TYPE_DEFINITION, Kind.INTERFACE_TYPE_EXTENSION, Kind.UNION_TYPE_DEFINITION, Kind.UNION_TYPE_EXTENSION]);

function namedTypeOf(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedTypeOf(type.type);
}

function declaredHint(directives: readonly ConstDirectiveNode[] | undefined, name: string): DeclaredHint | undefined {
  const directive = directives?.find((d) => d.name.value === name);
  if (!directive) return undefined;
  const hint: DeclaredHint = {};
  for (const argument of directive.arguments ?? []) {
    const value = argument.value;
    if (argument.name.value === "maxAge" && value.kind === Kind.INT) hint.maxAge = Number(value.value);
    if (argument.name.value === "scope" && value.kind === Kind.ENUM) hint.scope = value.value === "PRIVATE" ? "PRIVATE" : "PUBLIC";
    if (argument.name.value === "inheritMaxAge" && value.kind === Kind.BOOLEAN) hint.inheritMaxAge = value.value;
  }
  return hint;
}

/** The local name of `@cacheControl` in a supergraph (its `@link(url:, import:)` may rename it), or undefined. */
function directiveName(definitions: readonly DefinitionNode[]): string | undefined {
  for (const definition of definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of definition.directives ?? []) {
      if (link.name.value !== "link") continue;
      const url = link.arguments?.find((a) => a.name.value === "url")?.value;
      if (url?.kind !== Kind.STRING || !url.value.startsWith(CACHE_CONTROL_SPEC)) continue;
      const imports = link.arguments?.find((a) => a.name.value === "import")?.value;
      for (const item of imports?.kind === Kind.LIST ? imports.values : []) {
        if (item.kind === Kind.STRING && item.value === "@cacheControl") return "cacheControl";
        if (item.kind === Kind.OBJECT) {
          const field = (key: string) => item.fields.find((f) => f.name.value === key)?.value;
          const name = field("name");
          const as = field("as");
          if (name?.kind === Kind.STRING && name.value === "@cacheControl") return as?.kind === Kind.STRING ? as.value.replace(/^@/, "") : "cacheControl";
        }
      }
    }
  }
  return undefined;
}

export class CachePolicy {
  readonly #types = new Map<string, DeclaredHint>();
  readonly #fields = new Map<string, { hint?: DeclaredHint; returns: string }>();
  readonly #composite = new Set<string>();
  /** Of the supergraph it was read from: whole answers are keyed by it (another supergraph, other answers). */
  readonly version: string;

  /** The policy of a supergraph (or any SDL with the directive linked). No `@cacheControl` link: nothing cacheable. */
  static fromSupergraph(sdl: string): CachePolicy {
    return new CachePolicy(sdl);
  }

  private constructor(sdl: string) {
    this.version = createHash("sha256").update(sdl).digest("base64url").slice(0, 16);
    const { definitions } = parse(sdl);
    const name = directiveName(definitions);
    for (const definition of definitions) {
      if (!COMPOSITE.has(definition.kind) || !("name" in definition) || !definition.name) continue;
      const typeName = definition.name.value;
      this.#composite.add(typeName);
      const typeHint = name ? declaredHint(definition.directives as readonly ConstDirectiveNode[] | undefined, name) : undefined;
      if (typeHint) this.#types.set(typeName, typeHint);
      if (!("fields" in definition)) continue;
      for (const field of definition.fields ?? []) {
        if (field.kind !== Kind.FIELD_DEFINITION) continue;
        const hint = name ? declaredHint(field.directives, name) : undefined;
        this.#fields.set(`${typeName}.${field.name.value}`, { ...(hint ? { hint } : {}), returns: namedTypeOf(field.type) });
      }
    }
  }

  /** The type-level hint a subgraph declared (tests: every type is classified). */
  typeHint(typeName: string): CacheHint | undefined {
    const declared = this.#types.get(typeName);
    return declared ? this.#resolve(declared) : undefined;
  }

  /** The effective hint of `Type.field` (PUBLIC or PRIVATE, maxAge possibly 0), or undefined: no hint at all. */
  effectiveHint(typeName: string, fieldName: string): CacheHint | undefined {
    if (typeName === "Mutation" || typeName === "Subscription") return undefined;
    const field = this.#fields.get(`${typeName}.${fieldName}`);
    if (!field) return undefined;
    const own = field.hint;
    const parent = this.#types.get(typeName);
    if (own && !own.inheritMaxAge) return this.#resolve(own);
    if (own?.inheritMaxAge) return parent ? this.#resolve({ maxAge: parent.maxAge, scope: own.scope === "PRIVATE" ? "PRIVATE" : parent.scope }) : undefined;
    if (parent?.scope === "PRIVATE") return this.#resolve(parent);
    const target = this.#composite.has(field.returns) ? this.#types.get(field.returns) : parent;
    return target ? this.#resolve(target) : undefined;
  }

  /** The hint of `Type.field` when it may be stored and shared (PUBLIC, maxAge > 0), else undefined. `__typename` always. */
  hintOf(typeName: string, fieldName: string): CacheHint | undefined {
    const hint = this.cacheableHintOf(typeName, fieldName);
    return hint?.scope === "PUBLIC" ? hint : undefined;
  }

  /** The hint of `Type.field` when it may be stored at all: shared (PUBLIC) or per account (PRIVATE), maxAge > 0. */
  cacheableHintOf(typeName: string, fieldName: string): CacheHint | undefined {
    if (fieldName === "__typename") return { maxAge: Number.POSITIVE_INFINITY, scope: "PUBLIC" };
    const hint = this.effectiveHint(typeName, fieldName);
    return hint && hint.maxAge > 0 ? hint : undefined;
  }

  #resolve(declared: DeclaredHint): CacheHint {
    return { maxAge: Math.min(Math.max(declared.maxAge ?? 0, 0), MAX_AGE_CAP), scope: declared.scope ?? "PUBLIC" };
  }
}
