// HTTP side of the cache hints: `Cache-Control` on every /graphql response, computed from the same hints as the
// entity cache (the supergraph's @cacheControl, policy.ts) over the client's operation, the way Apollo Server's cache control plugin computes
// an overall policy (the smallest maxAge; any field without a hint: not cacheable). And, in development, an
// `x-cache` header saying how the entity cache answered: hit, partial, miss or bypass (staff, Redis away).
//
// - every field PUBLIC, no profileId argument, no staff caller, no error: `max-age=<n>, public`;
// - the same with a profileId (the answer depends on that profile's maturity limit and ownership): `private`;
// - anything else: `no-store`.
import type { ApolloServerPlugin } from "@apollo/server";
import { getNamedType, isObjectType, Kind, type GraphQLNamedType, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode, type FragmentDefinitionNode } from "graphql";
import type { GatewayContext } from "../auth.ts";
import type { EntityCache } from "./entity-cache.ts";
import { PROFILE_ARGUMENT, type CachePolicy } from "./policy.ts";

interface HttpPolicy {
  maxAge: number;
  private: boolean;
}

/** The overall policy of an operation, or null when some field has no PUBLIC hint. */
export function httpPolicyOf(schema: GraphQLSchema, cachePolicy: CachePolicy, operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>): HttpPolicy | null {
  if (operation.operation !== "query") return null;
  const root = schema.getQueryType();
  if (!root) return null;
  let maxAge = Number.POSITIVE_INFINITY;
  let withProfile = false;
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
      const hint = cachePolicy.hintOf(type.name, selection.name.value);
      const field = type.getFields()[selection.name.value];
      if (!hint || !field) return false;
      maxAge = Math.min(maxAge, hint.maxAge);
      const arguments_ = JSON.stringify(selection.arguments ?? []);
      if (arguments_.includes(`"value":"${PROFILE_ARGUMENT}"`)) withProfile = true;
      if (selection.selectionSet && !walk(selection.selectionSet, getNamedType(field.type))) return false;
    }
    return true;
  };
  if (!walk(operation.selectionSet, root) || !Number.isFinite(maxAge)) return null;
  return { maxAge, private: withProfile };
}

/** `policy`: the cache policy of the supergraph being served (undefined until one is loaded: no-store). */
export function entityCachePlugin(cache: EntityCache | undefined, options: { development: boolean; policy: () => CachePolicy | undefined }): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue, operation, document, schema, errors, overallCachePolicy }) {
          const headers = response.http.headers;
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const definition of document?.definitions ?? []) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
          const failed = (errors?.length ?? 0) > 0 || (response.body.kind === "single" && (response.body.singleResult.errors?.length ?? 0) > 0);
          const cachePolicy = options.policy();
          const policy = cachePolicy && operation && !failed && contextValue.identity?.role !== "STAFF" ? httpPolicyOf(schema, cachePolicy, operation, fragments) : null;
          // Apollo Server's own cache control plugin writes the header from its overall policy too (subgraphs answer
          // no-store, which it would honour): the policy is replaced, so whichever runs last writes the same.
          overallCachePolicy.replace(policy ? { maxAge: policy.maxAge, scope: policy.private ? "PRIVATE" : "PUBLIC" } : { maxAge: 0 });
          headers.set("cache-control", policy ? `max-age=${policy.maxAge}, ${policy.private ? "private" : "public"}` : "no-store");
          if (options.development && cache) {
            const outcome = cache.outcomeOf(contextValue);
            if (outcome) headers.set("x-cache", outcome);
          }
        },
      };
    },
  };
}
