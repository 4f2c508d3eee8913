// HTTP side of the cache hints: `Cache-Control` on every /graphql response, computed from the same hints as the
// entity cache (the supergraph's @cacheControl, policy.ts) over the client's operation, the way Apollo Server's
// cache control plugin computes an overall policy (the smallest maxAge; any field without a hint: not cacheable).
// And (development, or ENTITY_CACHE_HEADER=on) an `x-cache` header saying how the entity cache answered: hit,
// partial, miss or bypass (staff, Redis away).
//
// - every field PUBLIC, no profileId argument, no staff caller, no error: `max-age=<n>, public`;
// - the same with a profileId, as an argument or inside an input-object variable (the answer depends on that
//   profile's maturity limit and ownership), or with fields PRIVATE with a maxAge (the caller's own): `private`;
// - anything else: `no-store`.
//
// And the whole-response level of the entity cache: an operation whose every field is PUBLIC and which names no
// profile (the first case above; no caller, maturity limit or account can change its answer) is answered from
// an entry keyed by the document's hash, operation name, variables and supergraph, before any query planning.
// Such an answer is kept only when every subgraph fetch behind it came from the cache or went into it; it
// carries the tags of all those entries, so any event that drops one of them drops it too.
//
// An anonymous POST whose exact document, operation name and variables already have such an entry is answered
// before Apollo Server runs at all (`answerFromCache`, after the HTTP checks and the rate limits): the entry
// exists only because the full pipeline accepted that very request and stored its error-free answer; no caller
// can change it, and an anonymous caller cannot be staff.
import { createHash } from "node:crypto";
import type { ApolloServerPlugin, GraphQLRequestContext } from "@apollo/server";
import type { IncomingMessage, ServerResponse } from "node:http";
import { getNamedType, isObjectType, Kind, type GraphQLNamedType, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode, type FragmentDefinitionNode } from "graphql";
import type { GatewayContext } from "../auth.ts";
import type { EntityCache } from "./entity-cache.ts";
import { collectProfileUse, noProfileUse, valueAtSlot, type ProfileSlot } from "./analyze.ts";
import type { CachePolicy } from "./policy.ts";

interface HttpPolicy {
  maxAge: number;
  /** Always private: a profileId written in the document, or one that cannot be followed. */
  private: boolean;
  /** Private when any of these holds a profile id in the request's variables. */
  slots: ProfileSlot[];
}

/** Whether the answer depends on a profile (its maturity limit and ownership) with these variables. */
export function isPrivate(policy: HttpPolicy, variables: Record<string, unknown> | undefined): boolean {
  return policy.private || policy.slots.some((slot) => {
    const value = valueAtSlot(variables, slot);
    return value !== null && value !== undefined;
  });
}

/** The overall policy of an operation, or null when some field has no PUBLIC hint. */
export function httpPolicyOf(schema: GraphQLSchema, cachePolicy: CachePolicy, operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>): HttpPolicy | null {
  if (operation.operation !== "query") return null;
  const root = schema.getQueryType();
  if (!root) return null;
  let maxAge = Number.POSITIVE_INFINITY;
  let ownFields = false;
  const use = noProfileUse();
  const walk = (selections: SelectionSetNode, type: GraphQLNamedType): boolean => {
    for (const selection of selections.selections) {
      if (selection.kind !== Kind.FIELD) {
        const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments[selection.name.value] : selection;
        const on = fragment?.typeCondition ? schema.getType(fragment.typeCondition.name.value) : type;
        if (!fragment || !on || !walk(fragment.selectionSet, on)) return false;
        continue;
      }
      if (selection.name.value === "__typename") continue;
      if (!isObjectType(type)) return false;
      const hint = cachePolicy.cacheableHintOf(type.name, selection.name.value);
      const field = type.getFields()[selection.name.value];
      if (!hint || !field) return false;
      maxAge = Math.min(maxAge, hint.maxAge);
      if (hint.scope === "PRIVATE") ownFields = true;
      for (const argument of selection.arguments ?? []) collectProfileUse(argument.value, field.args.find((arg) => arg.name === argument.name.value)?.type, argument.name.value, use);
      if (selection.selectionSet && !walk(selection.selectionSet, getNamedType(field.type))) return false;
    }
    return true;
  };
  if (!walk(operation.selectionSet, root) || !Number.isFinite(maxAge)) return null;
  // A variable's default applies when the request leaves it out: a slot with one is always private.
  const defaulted = new Set((operation.variableDefinitions ?? []).filter((definition) => definition.defaultValue).map((definition) => definition.variable.name.value));
  return { maxAge, private: ownFields || use.literal || use.opaque || use.slots.some((slot) => defaulted.has(slot.variable)), slots: use.slots };
}

/** The whole-answer entry's key (Apollo's queryHash: the sha256 of the document text, or its persisted hash). */
function wholeAnswerKey(cache: EntityCache, cachePolicy: CachePolicy, queryHash: string, operationName: string | null | undefined, variables: unknown): string {
  return cache.store.entryKey(
    createHash("sha256")
      .update(["response", cachePolicy.version, queryHash, operationName ?? "", JSON.stringify(variables ?? {})].join("\0"))
      .digest("base64url"),
  );
}

interface CachedAnswerOptions {
  header: boolean;
  policy: () => CachePolicy | undefined;
}

/**
 * Answers an anonymous POST from its whole-answer entry, as Apollo Server would have (same body, Cache-Control and
 * x-cache): true when answered. Anything else (a signed-in caller, a GET, no entry, the cache not live): false.
 */
export function answerFromCache(cache: EntityCache | undefined, options: CachedAnswerOptions) {
  return async (req: IncomingMessage, res: ServerResponse, requestBody: unknown, context: object): Promise<boolean> => {
    const cachePolicy = options.policy();
    const body = requestBody as { query?: unknown; operationName?: unknown; variables?: unknown; extensions?: { persistedQuery?: { sha256Hash?: unknown } } } | undefined;
    if (!cache || !cachePolicy || req.method !== "POST" || req.headers.authorization || !body || typeof body !== "object" || !cache.live()) return false;
    const persisted = body.extensions?.persistedQuery?.sha256Hash;
    const queryHash = typeof body.query === "string" ? createHash("sha256").update(body.query).digest("hex") : typeof persisted === "string" ? persisted : undefined;
    if (!queryHash || (body.operationName != null && typeof body.operationName !== "string")) return false;
    const [cached] = await cache.store.getMany([wholeAnswerKey(cache, cachePolicy, queryHash, body.operationName as string | null | undefined, body.variables)]);
    if (!cached || cached.maxAge === undefined) return false;
    cache.countEarlyAnswer(context);
    res.statusCode = 200;
    res.setHeader("content-type", "application/json; charset=utf-8");
    res.setHeader("cache-control", `max-age=${cached.maxAge}, public`);
    if (options.header) res.setHeader("x-cache", "hit");
    res.end(`${JSON.stringify({ data: cached.value })}\n`);
    return true;
  };
}

/** `policy`: the cache policy of the supergraph being served (undefined until one is loaded: no-store). */
export function entityCachePlugin(cache: EntityCache | undefined, options: { header: boolean; policy: () => CachePolicy | undefined }): ApolloServerPlugin<GatewayContext> {
  // Per supergraph policy and operation (Apollo Server keeps parsed documents, so an operation's node is the same
  // object on every request of it): twice a request otherwise.
  const policies = new WeakMap<CachePolicy, WeakMap<OperationDefinitionNode, HttpPolicy | null>>();
  const policyOf = (schema: GraphQLSchema, cachePolicy: CachePolicy, operation: OperationDefinitionNode, document: GraphQLRequestContext<GatewayContext>["document"]) => {
    let known = policies.get(cachePolicy);
    if (!known) policies.set(cachePolicy, (known = new WeakMap()));
    let policy = known.get(operation);
    if (policy === undefined) {
      const fragments: Record<string, FragmentDefinitionNode> = {};
      for (const definition of document?.definitions ?? []) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
      policy = httpPolicyOf(schema, cachePolicy, operation, fragments);
      known.set(operation, policy);
    }
    return policy;
  };
  return {
    async requestDidStart() {
      /** The whole-response entry this request may fill, once its answer is known. */
      let pending: { key: string; since: number; maxAge: number } | undefined;
      return {
        async responseForOperation({ request, contextValue, operation, document, schema, queryHash, response }) {
          const cachePolicy = options.policy();
          if (!cache || !cachePolicy || !cache.live() || contextValue.identity?.role === "STAFF" || !operation || !queryHash) return null;
          const policy = policyOf(schema, cachePolicy, operation, document);
          if (!policy || isPrivate(policy, request.variables)) return null;
          const key = wholeAnswerKey(cache, cachePolicy, queryHash, request.operationName, request.variables);
          const since = cache.store.begin();
          const [cached] = await cache.store.getMany([key]);
          if (cached) {
            cache.count(contextValue, "hit");
            return { http: response.http, body: { kind: "single", singleResult: { data: cached.value as Record<string, unknown> } } };
          }
          pending = { key, since, maxAge: policy.maxAge };
          return null;
        },
        async willSendResponse({ request, response, contextValue, operation, document, schema, errors, overallCachePolicy }) {
          const headers = response.http.headers;
          const failed = (errors?.length ?? 0) > 0 || (response.body.kind === "single" && (response.body.singleResult.errors?.length ?? 0) > 0);
          const cachePolicy = options.policy();
          const policy = cachePolicy && operation && !failed && contextValue.identity?.role !== "STAFF" ? policyOf(schema, cachePolicy, operation, document) : null;
          const scoped = policy ? isPrivate(policy, request.variables) : false;
          // Apollo Server's own cache control plugin writes the header from its overall policy too (subgraphs answer
          // no-store, which it would honour): the policy is replaced, so whichever runs last writes the same.
          overallCachePolicy.replace(policy ? { maxAge: policy.maxAge, scope: scoped ? "PRIVATE" : "PUBLIC" } : { maxAge: 0 });
          headers.set("cache-control", policy ? `max-age=${policy.maxAge}, ${scoped ? "private" : "public"}` : "no-store");
          const counts = cache?.countsOf(contextValue);
          const held = cache?.heldTagsOf(contextValue);
          const data = response.body.kind === "single" ? response.body.singleResult.data : undefined;
          if (cache && pending && policy && !scoped && counts && counts.uncacheable + counts.bypass === 0 && held && data) {
            const maxAge = Math.min(pending.maxAge, policy.maxAge);
            await cache.store.setMany([{ key: pending.key, entry: { value: data, tags: held, maxAge }, ttlSeconds: maxAge }], pending.since);
          }
          if (options.header && cache) {
            const outcome = cache.outcomeOf(contextValue);
            if (outcome) headers.set("x-cache", outcome);
          }
        },
      };
    },
  };
}
