// One way to build every subgraph's schema: type-graphql classes, printed with their federation directives,
// handed to @apollo/subgraph together with the resolvers and the entities' reference resolvers.
import "reflect-metadata";
import { buildSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/resolverMap.js";
import { printSchemaWithDirectives } from "@graphql-tools/utils";
import { parse, type GraphQLSchema } from "graphql";
import { GraphQLDateTime } from "graphql-scalars";
import { buildSchema, createResolversMap, type BuildSchemaOptions, type ContainerType } from "type-graphql";

/** Every subgraph links the same federation version, so composition never mixes spec versions. */
export const FEDERATION_LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@interfaceObject", "@composeDirective"])`;

/**
 * The cache hints: Apollo Server's `@cacheControl` (same arguments, same meaning), linked under our own spec URL
 * and kept by composition (`@composeDirective`), so the supergraph carries every subgraph's hints and the
 * gateway's entity cache reads them there (README "Entity cache"). Every subgraph declares it, so the
 * definitions composition compares are always identical.
 */
export const CACHE_CONTROL_SPEC = "https://watchflixx.dev/cacheControl/v1.0";
const CACHE_CONTROL_LINK = `extend schema @link(url: "${CACHE_CONTROL_SPEC}", import: ["@cacheControl"]) @composeDirective(name: "@cacheControl")`;
const CACHE_CONTROL_DEFINITIONS = `enum CacheControlScope {
  PUBLIC
  PRIVATE
}

directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION`;

export interface CacheControlHint {
  /** Seconds; absent or 0: never stored. */
  maxAge?: number;
  /** PUBLIC (default): the same answer for every caller at one maturity limit; PRIVATE: depends on the caller. */
  scope?: "PUBLIC" | "PRIVATE";
  /** A field that takes its parent's hint. */
  inheritMaxAge?: boolean;
}

/** The directive for `@Directive(...)` on a type-graphql type or field: `@cacheControl(maxAge: 300)`. */
export function cacheControl(hint: CacheControlHint): string {
  const args = [
    hint.maxAge !== undefined ? `maxAge: ${hint.maxAge}` : "",
    hint.scope ? `scope: ${hint.scope}` : "",
    hint.inheritMaxAge ? "inheritMaxAge: true" : "",
  ].filter(Boolean);
  return `@cacheControl(${args.join(", ")})`;
}

/** Catalog data (titles, seasons, episodes, credits, prices, plans): events drop it; the TTL bounds a missed one. */
export const CATALOG_HINT = cacheControl({ maxAge: 300 });
/** What moves with every rating (averages, counts, reviews): ContentRated drops it, the TTL is shorter anyway. */
export const RATINGS_HINT = cacheControl({ maxAge: 120 });
/** Whatever depends on the caller (account, billing, parties, notifications, staff views): never stored. */
export const PRIVATE_HINT = cacheControl({ scope: "PRIVATE" });
/**
 * A profile's own screen data (the profile, its watchlist and resume points): kept per account, never shared,
 * and dropped by the account's next write through any gateway (router/src/cache/store.ts); the TTL bounds the rest.
 */
export const PER_ACCOUNT_HINT = cacheControl({ maxAge: 30, scope: "PRIVATE" });

/** `DateTime` as graphql-scalars defines it (ISO 8601 in UTC), the contract's time type. */
export const DateTimeScalar = GraphQLDateTime;

// Declared as a method so that resolvers typed with their own reference and context shapes fit (bivariance).
const subscribeInResolvers = {
  publish(): never {
    throw new Error("publish through context.pubSub");
  },
  subscribe(): never {
    throw new Error("give @Subscription a `subscribe` that uses context.pubSub");
  },
};

export type ReferenceResolvers = Record<string, { __resolveReference(reference: Record<string, unknown>, context: unknown): unknown }>;

export interface FederatedSchemaOptions extends Omit<BuildSchemaOptions, "skipCheck" | "scalarsMap" | "resolvers"> {
  /** Resolver classes that type-graphql builds itself (no constructor arguments). */
  resolvers?: BuildSchemaOptions["resolvers"];
  /**
   * Resolvers built by `createXSubgraph(deps)` with their services passed to their constructors: served as they
   * are (type-graphql asks a container for them), so no resolver constructs a service.
   */
  resolverInstances?: readonly object[];
  /** `__resolveReference` per owned entity type; batch them through the request's DataLoaders. */
  referenceResolvers?: ReferenceResolvers;
}

export interface FederatedSchema {
  schema: GraphQLSchema;
  /** The subgraph's SDL with its federation directives, as the registry and composition see it. */
  sdl: string;
}

/** The classes of the given resolver instances, and a container that answers each class with its instance. */
function instanceContainer(instances: readonly object[]): Pick<BuildSchemaOptions, "resolvers" | "container"> {
  const byClass = new Map<unknown, object>(instances.map((instance) => [instance.constructor, instance]));
  const container: ContainerType = {
    get(resolverClass) {
      const instance = byClass.get(resolverClass);
      if (!instance) throw new Error(`no resolver instance of ${String(resolverClass)} was given to buildFederatedSchema`);
      return instance;
    },
  };
  return { resolvers: [...byClass.keys()] as BuildSchemaOptions["resolvers"], container };
}

export async function buildFederatedSchema(options: FederatedSchemaOptions): Promise<FederatedSchema> {
  const { referenceResolvers = {}, resolverInstances, ...buildOptions } = options;
  const typeGraphqlSchema = await buildSchema({
    ...buildOptions,
    ...(resolverInstances ? instanceContainer(resolverInstances) : { resolvers: buildOptions.resolvers as BuildSchemaOptions["resolvers"] }),
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    // Subscriptions use their own `subscribe` (Redis pub/sub from the context); type-graphql still wants one.
    pubSub: buildOptions.pubSub ?? subscribeInResolvers,
    // No class carries class-validator decorators (inputs are checked in src/inputs); with validation on,
    // type-graphql would still import() class-validator on every resolver call with an input object.
    validate: buildOptions.validate ?? false,
    // A subgraph may have no Query of its own (it only extends entities), which type-graphql would refuse.
    skipCheck: true,
  });
  const sdl = `${FEDERATION_LINK}\n${CACHE_CONTROL_LINK}\n\n${CACHE_CONTROL_DEFINITIONS}\n\n${printSchemaWithDirectives(typeGraphqlSchema)}`;
  const resolvers = createResolversMap(typeGraphqlSchema) as Record<string, Record<string, unknown>>;
  for (const [typeName, reference] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = { ...(resolvers[typeName] ?? {}), ...reference };
  }
  const schema = buildSubgraphSchema([{ typeDefs: parse(sdl), resolvers: resolvers as GraphQLResolverMap<unknown> }]);
  return { schema, sdl };
}
