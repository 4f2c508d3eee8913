// One way to build every subgraph's schema: type-graphql classes, printed with their federation directives,
// handed to @apollo/subgraph together with the resolvers and the entities' reference resolvers.
import "reflect-metadata";
import { buildSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/resolverMap.js";
import { printSchemaWithDirectives } from "@graphql-tools/utils";
import { parse, type GraphQLSchema } from "graphql";
import { GraphQLDateTime } from "graphql-scalars";
import { buildSchema, createResolversMap, type BuildSchemaOptions } from "type-graphql";

/** Every subgraph links the same federation version, so composition never mixes spec versions. */
export const FEDERATION_LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@interfaceObject"])`;

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

export interface FederatedSchemaOptions extends Omit<BuildSchemaOptions, "skipCheck" | "scalarsMap"> {
  /** `__resolveReference` per owned entity type; batch them through the request's DataLoaders. */
  referenceResolvers?: ReferenceResolvers;
}

export interface FederatedSchema {
  schema: GraphQLSchema;
  /** The subgraph's SDL with its federation directives, as the registry and composition see it. */
  sdl: string;
}

export async function buildFederatedSchema(options: FederatedSchemaOptions): Promise<FederatedSchema> {
  const { referenceResolvers = {}, ...buildOptions } = options;
  const typeGraphqlSchema = await buildSchema({
    ...buildOptions,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    // Subscriptions use their own `subscribe` (Redis pub/sub from the context); type-graphql still wants one.
    pubSub: buildOptions.pubSub ?? subscribeInResolvers,
    // No class carries class-validator decorators (inputs are checked in src/inputs); with validation on,
    // type-graphql would still import() class-validator on every resolver call with an input object.
    validate: buildOptions.validate ?? false,
    // A subgraph may have no Query of its own (it only extends entities), which type-graphql would refuse.
    skipCheck: true,
  });
  const sdl = `${FEDERATION_LINK}\n\n${printSchemaWithDirectives(typeGraphqlSchema)}`;
  const resolvers = createResolversMap(typeGraphqlSchema) as Record<string, Record<string, unknown>>;
  for (const [typeName, reference] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = { ...(resolvers[typeName] ?? {}), ...reference };
  }
  const schema = buildSubgraphSchema([{ typeDefs: parse(sdl), resolvers: resolvers as GraphQLResolverMap<unknown> }]);
  return { schema, sdl };
}
