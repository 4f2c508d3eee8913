// The entity cache's hints (src/cache/policy.ts) over the whole supergraph the registry publishes: every type is
// classified, nothing that depends on the caller is PUBLIC, nothing caller-dependent is reachable through PUBLIC
// fields, and the fetch analysis refuses what it must.
import { readFileSync } from "node:fs";
import { buildSchema, getNamedType, isObjectType, type GraphQLObjectType } from "graphql";
import { describe, expect, it } from "vitest";
import { analyzeFetch, CACHE_HINTS, hintOf } from "../src/cache/index.ts";

const schema = buildSchema(readFileSync(new URL("../../schema-registry/api-schema.graphql", import.meta.url), "utf8"));

/** Types whose every field answers for the caller (owner-only, per account, per profile, staff-only, per session). */
const CALLER_DEPENDENT_TYPES = [
  "AuthPayload",
  "BillingSubscription",
  "ContentAnalytics",
  "Device",
  "DevicePairing",
  "Invoice",
  "Notification",
  "PartyMember",
  "PartyMessage",
  "PartySyncEvent",
  "PartyWatch",
  "PlaybackProgress",
  "PlaybackSession",
  "Profile",
  "ProfileSettings",
  "Rating",
  "Rental",
  "ServiceStatus",
  "SupportResponse",
  "SupportTicket",
  "User",
  "UserSettings",
  "ViewingStats",
  "WatchlistItem",
  "WatchProgress",
];
/** Root fields and fields of public types that answer for the caller. */
const CALLER_DEPENDENT_FIELDS = [
  "Query.me",
  "Query.profile",
  "Query.continueWatching",
  "Query.viewingStats",
  "Query.notifications",
  "Query.supportTickets",
  "Query.supportQueue",
  "Query.partyWatch",
  "Query.contentAnalytics",
  "Query.serviceStatuses",
  "Content.progress",
];
/** A review's author: only its id is public (the streaming subgraph's reference); the rest is per caller. */
const PUBLIC_EXCEPTIONS = new Set(["Profile.id"]);
/** PUBLIC fields whose `profileId` the cache turns into a maturity limit (ownership checked at the gateway). */
const MATURITY_SCOPED = new Set(["Query.browse", "Query.search", "Query.trending"]);

const objectTypes = Object.values(schema.getTypeMap()).filter(
  (type): type is GraphQLObjectType => isObjectType(type) && !type.name.startsWith("__"),
);

describe("the cache hints", () => {
  it("name types and fields the supergraph has", () => {
    for (const name of CACHE_HINTS.keys()) {
      const [typeName, fieldName] = name.split(".");
      const type = schema.getType(typeName!);
      expect(type, name).toBeDefined();
      if (fieldName) expect(isObjectType(type) && type.getFields()[fieldName], name).toBeTruthy();
    }
  });

  it("classify every object type: public catalog data or caller-dependent, never both", () => {
    const publicTypes = new Set(
      objectTypes.filter((type) => Object.keys(type.getFields()).some((field) => hintOf(type.name, field) && !PUBLIC_EXCEPTIONS.has(`${type.name}.${field}`))).map((type) => type.name),
    );
    const unclassified = objectTypes
      .map((type) => type.name)
      .filter((name) => !publicTypes.has(name) && !CALLER_DEPENDENT_TYPES.includes(name) && !["Query", "Mutation", "Subscription"].includes(name));
    expect(unclassified).toEqual([]);
    expect(CALLER_DEPENDENT_TYPES.filter((name) => publicTypes.has(name))).toEqual([]);
  });

  it("never make a caller-dependent field PUBLIC, nor any Mutation or Subscription field", () => {
    for (const typeName of CALLER_DEPENDENT_TYPES) {
      const type = schema.getType(typeName) as GraphQLObjectType;
      for (const field of Object.keys(type.getFields())) {
        if (PUBLIC_EXCEPTIONS.has(`${typeName}.${field}`)) continue;
        expect(hintOf(typeName, field), `${typeName}.${field}`).toBeUndefined();
      }
    }
    for (const name of CALLER_DEPENDENT_FIELDS) {
      const [typeName, field] = name.split(".") as [string, string];
      expect((schema.getType(typeName) as GraphQLObjectType).getFields()[field], name).toBeDefined();
      expect(hintOf(typeName, field), name).toBeUndefined();
    }
    for (const root of [schema.getMutationType(), schema.getSubscriptionType()]) {
      for (const field of Object.keys(root?.getFields() ?? {})) expect(hintOf(root!.name, field), `${root!.name}.${field}`).toBeUndefined();
    }
  });

  it("reach nothing caller-dependent through PUBLIC fields, and take a profileId only where it is a maturity scope", () => {
    const reached: string[] = [];
    const seen = new Set<string>();
    const walk = (type: GraphQLObjectType) => {
      if (seen.has(type.name)) return;
      seen.add(type.name);
      for (const [name, field] of Object.entries(type.getFields())) {
        const hint = hintOf(type.name, name);
        if (!hint) continue;
        reached.push(`${type.name}.${name}`);
        if (field.args.some((arg) => arg.name === "profileId")) expect(MATURITY_SCOPED.has(`${type.name}.${name}`), `${type.name}.${name}`).toBe(true);
        const target = getNamedType(field.type);
        if (isObjectType(target)) walk(target);
      }
    };
    walk(schema.getQueryType()!);
    const callerDependent = reached.filter((field) => CALLER_DEPENDENT_TYPES.includes(field.split(".")[0]!) && !PUBLIC_EXCEPTIONS.has(field));
    expect(callerDependent).toEqual([]);
    expect(reached).toEqual(expect.arrayContaining(["Query.browse", "Content.averageRating", "Content.rentalPrice", "Season.episodes", "TrendingItem.content", "Query.plans"]));
  });
});

describe("the fetch analysis", () => {
  it("caches a catalog _entities fetch and a catalog root fetch, for the smallest maxAge", () => {
    const entities = analyzeFetch(schema, `query($representations:[_Any!]!){_entities(representations:$representations){...on Content{averageRating ratingCount}}}`);
    expect(entities).toMatchObject({ cacheable: true, entities: true, maxAge: 120 });
    const root = analyzeFetch(schema, `query($profileId:ID){browse(filter:{profileId:$profileId},first:20){edges{node{__typename id title}}}}`);
    expect(root).toMatchObject({ cacheable: true, entities: false, profileVariables: ["profileId"], maxAge: 300 });
  });

  it("refuses a fetch with one caller-dependent field, a literal profileId, a profile variable used elsewhere, or a mutation", () => {
    const refused = [
      `query($representations:[_Any!]!,$p:ID){_entities(representations:$representations){...on Content{averageRating progress(profileId:$p){positionSeconds}}}}`,
      `{me{email}}`,
      `{browse(filter:{profileId:"p1"}){totalCount}}`,
      `query($p:ID!){trending(profileId:$p){rank} content(id:$p){id}}`,
      `mutation{signOut}`,
      `{content(id:"c1"){id title}} {plans{id}}`,
    ];
    for (const query of refused) expect(analyzeFetch(schema, query).cacheable, query).toBe(false);
  });
});
