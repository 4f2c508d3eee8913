// The cache hints the subgraphs declare (`@cacheControl`, composed into the supergraph the registry publishes),
// as the gateway reads them (src/cache/policy.ts), checked over the WHOLE supergraph against what the data
// model says depends on the caller: a Prisma model that belongs to a User or a Profile (directly or through
// another such model) is the caller's, and so is every GraphQL type it backs. Nothing of those may be
// cacheable, nothing cacheable may lead to them, and only the maturity-scoped fields may take a profileId.
// A new owned model or a new object type must be classified before this passes.
import { readFileSync } from "node:fs";
import { buildSchema, getNamedType, isInputObjectType, isObjectType, type GraphQLArgument, type GraphQLInputType, type GraphQLObjectType, type GraphQLSchema } from "graphql";
import { describe, expect, it } from "vitest";
import { analyzeFetch, CachePolicy } from "../src/cache/index.ts";

const registry = (file: string) => readFileSync(new URL(`../../schema-registry/${file}`, import.meta.url), "utf8");
const supergraphSdl = registry("supergraph.graphql");
const schema = buildSchema(registry("api-schema.graphql"));
const policy = CachePolicy.fromSupergraph(supergraphSdl);

/** Prisma models that belong to a User or a Profile: `@relation(fields: ...)` to one, or to a model that does. */
function ownedModels(prismaSchema: string): Set<string> {
  const belongsTo = new Map<string, string[]>();
  for (const [, model, body] of prismaSchema.matchAll(/^model (\w+) \{\n([\s\S]*?)^\}/gm)) {
    const parents = [...(body ?? "").matchAll(/^\s+\w+\s+(\w+)\??\s+@relation\(fields:/gm)].map((match) => match[1] as string);
    belongsTo.set(model as string, parents);
  }
  const owned = new Set(["User", "Profile"]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [model, parents] of belongsTo) {
      if (!owned.has(model) && parents.some((parent) => owned.has(parent))) {
        owned.add(model);
        grew = true;
      }
    }
  }
  return owned;
}

/**
 * The GraphQL types an owned model backs, when not its own name ([]: not exposed in the API). Every owned model
 * must be here or have a type of its name: a new one fails the test until it is placed.
 */
const TYPES_OF_MODEL: Record<string, string[]> = {
  WatchHistory: ["WatchProgress", "PlaybackProgress"],
  ViewingSession: ["PlaybackSession"],
  ViewingFact: ["ViewingStats"],
  ContentViewer: ["ViewingStats"],
  Watchlist: ["WatchlistItem"],
  Subscription: ["BillingSubscription"],
  PartyWatchSession: ["PartyWatch", "PartySyncEvent"],
  PartyWatchMember: ["PartyMember"],
  PartyWatchMessage: ["PartyMessage"],
  RefreshToken: ["AuthPayload"],
  ProfileUnlock: [],
  PaymentMethod: [],
  EmailOutbox: [],
  PaymentCustomer: [],
};
/** Owned, but published to every viewer by design: a review (its author shows as a bare profile id). */
const PUBLIC_BY_DESIGN = new Set(["Review"]);
const PUBLIC_FIELDS_OF_OWNED = new Set(["Profile.id"]);
/** Cacheable fields that return a caller's type only as a reference (its PUBLIC_FIELDS_OF_OWNED, nothing else). */
const PUBLIC_REFERENCES = new Set(["Review.profile"]);
/** Fields whose `profileId` the cache turns into a maturity limit (ownership checked at the gateway). */
const MATURITY_SCOPED = new Set(["Query.browse", "Query.search", "Query.trending"]);
const ROOTS = new Set(["Query", "Mutation", "Subscription"]);
/**
 * What may be kept per account (PRIVATE with a maxAge): types and fields whose data only the account's own
 * mutations write (watchlist, playback, profile edits), so that the account's generation moves on with every
 * change (router/src/cache/store.ts). Something written by a consumer or another account (notifications, party
 * members, billing) must not join without a way to drop it.
 */
const PER_ACCOUNT = new Set(["Profile", "WatchProgress", "WatchlistItem", "Query.profile", "Query.continueWatching", "Content.progress"]);

function callerDependentTypes(apiSchema: GraphQLSchema): { types: Set<string>; unplaced: string[] } {
  const types = new Set<string>();
  const unplaced: string[] = [];
  for (const model of ownedModels(readFileSync(new URL("../../prisma/schema.prisma", import.meta.url), "utf8"))) {
    const backed = TYPES_OF_MODEL[model] ?? (isObjectType(apiSchema.getType(model)) ? [model] : undefined);
    if (!backed) unplaced.push(model);
    for (const type of backed ?? []) if (!PUBLIC_BY_DESIGN.has(type)) types.add(type);
  }
  return { types, unplaced };
}

function takesProfile(args: readonly GraphQLArgument[]): boolean {
  const seen = new Set<string>();
  const walk = (name: string, type: GraphQLInputType): boolean => {
    if (name === "profileId") return true;
    const named = getNamedType(type);
    if (!isInputObjectType(named) || seen.has(named.name)) return false;
    seen.add(named.name);
    return Object.values(named.getFields()).some((field) => walk(field.name, field.type));
  };
  return args.some((arg) => walk(arg.name, arg.type));
}

/** Every breach of the rules by `cachePolicy` over `apiSchema`: `<rule>: <coordinate>`. */
function violations(apiSchema: GraphQLSchema, cachePolicy: CachePolicy): string[] {
  const found: string[] = [];
  const { types: owned, unplaced } = callerDependentTypes(apiSchema);
  for (const model of unplaced) found.push(`owned model not placed: ${model}`);
  for (const type of owned) if (!isObjectType(apiSchema.getType(type))) found.push(`not a type of the supergraph: ${type}`);
  const objectTypes = Object.values(apiSchema.getTypeMap()).filter((type): type is GraphQLObjectType => isObjectType(type) && !type.name.startsWith("__"));

  for (const type of objectTypes) {
    if (ROOTS.has(type.name)) continue;
    const typeHint = cachePolicy.typeHint(type.name);
    if (!typeHint) found.push(`type without @cacheControl: ${type.name}`);
    if (owned.has(type.name) && typeHint?.scope !== "PRIVATE") found.push(`caller's type not PRIVATE: ${type.name}`);
  }
  for (const type of objectTypes) {
    for (const [name, field] of Object.entries(type.getFields())) {
      const coordinate = `${type.name}.${name}`;
      const kept = cachePolicy.cacheableHintOf(type.name, name);
      if (kept?.scope === "PRIVATE" && !PER_ACCOUNT.has(type.name) && !PER_ACCOUNT.has(coordinate)) found.push(`kept per account, not written only by its account: ${coordinate}`);
      if (!cachePolicy.hintOf(type.name, name)) continue;
      if (type.name === "Mutation" || type.name === "Subscription") found.push(`cacheable root field: ${coordinate}`);
      if (owned.has(type.name) && !PUBLIC_FIELDS_OF_OWNED.has(coordinate)) found.push(`cacheable field of a caller's type: ${coordinate}`);
      if (owned.has(getNamedType(field.type).name) && !PUBLIC_REFERENCES.has(coordinate)) found.push(`cacheable field returning a caller's type: ${coordinate}`);
      if (takesProfile(field.args) && !MATURITY_SCOPED.has(coordinate)) found.push(`cacheable field taking a profileId: ${coordinate}`);
    }
  }
  // What a cacheable fetch can reach from the root: nothing of the caller's.
  const seen = new Set<string>();
  const walk = (type: GraphQLObjectType) => {
    if (seen.has(type.name)) return;
    seen.add(type.name);
    for (const [name, field] of Object.entries(type.getFields())) {
      if (!cachePolicy.hintOf(type.name, name)) continue;
      const target = getNamedType(field.type);
      if (owned.has(target.name) && !PUBLIC_REFERENCES.has(`${type.name}.${name}`)) found.push(`caller's type reachable through cacheable fields: ${type.name}.${name}`);
      if (isObjectType(target)) walk(target);
    }
  };
  const query = apiSchema.getQueryType();
  if (query) walk(query);
  return found;
}

/** The supergraph with `hint` in place of what a type or field declared, as a subgraph declaring it would compose. */
function withHint(typeName: string, fieldName: string | null, hint: string): CachePolicy {
  const lines = supergraphSdl.split("\n");
  const start = lines.findIndex((line) => line.startsWith(`type ${typeName}`));
  expect(start, typeName).toBeGreaterThanOrEqual(0);
  const drop = (line: string) => line.replace(/\s*@cacheControl\([^)]*\)/, "");
  if (fieldName === null) {
    const open = lines.findIndex((line, index) => index >= start && line.trimEnd().endsWith("{"));
    for (let index = start; index <= open; index += 1) lines[index] = drop(lines[index] as string);
    lines[start] = `${lines[start]} ${hint}`;
  } else {
    let at = lines.findIndex((line, index) => index > start && /^\s+(\w+)[:(]/.exec(line)?.[1] === fieldName);
    expect(at, `${typeName}.${fieldName}`).toBeGreaterThan(start);
    // Arguments over several lines: the directives follow the closing parenthesis.
    if (lines[at]?.includes("(") && !lines[at]?.includes(")")) at = lines.findIndex((line, index) => index > at && line.trimStart().startsWith(")"));
    lines[at] = `${drop(lines[at] as string)} ${hint}`;
  }
  return CachePolicy.fromSupergraph(lines.join("\n"));
}

describe("the cache hints of the supergraph", () => {
  it("classify every type, keep everything of the caller's PRIVATE and out of reach of what is cached", () => {
    expect(violations(schema, policy)).toEqual([]);
  });

  it("derive what is the caller's from the data model, not from the hints", () => {
    const { types } = callerDependentTypes(schema);
    expect([...types]).toEqual(expect.arrayContaining(["User", "Profile", "WatchProgress", "WatchlistItem", "Rating", "BillingSubscription", "Invoice", "Rental", "Notification", "PartyWatch", "Device", "SupportTicket"]));
    expect(types.has("Content")).toBe(false);
  });

  it("make the catalog cacheable, for the maxAge its subgraph declared", () => {
    expect(policy.hintOf("Query", "browse")).toEqual({ maxAge: 300, scope: "PUBLIC" });
    expect(policy.hintOf("Content", "title")).toEqual({ maxAge: 300, scope: "PUBLIC" });
    expect(policy.hintOf("Content", "averageRating")).toEqual({ maxAge: 120, scope: "PUBLIC" });
    expect(policy.hintOf("Content", "rentalPrice")).toEqual({ maxAge: 300, scope: "PUBLIC" });
    expect(policy.hintOf("Query", "trending")).toEqual({ maxAge: 30, scope: "PUBLIC" });
    for (const [type, field] of [["Season", "episodes"], ["Episode", "title"], ["Query", "plans"], ["Plan", "priceCents"], ["Review", "profile"], ["Profile", "id"]] as const) {
      expect(policy.hintOf(type, field), `${type}.${field}`).toBeDefined();
    }
    for (const [type, field] of [["Content", "progress"], ["Query", "me"], ["Profile", "name"], ["Query", "continueWatching"], ["Mutation", "signOut"], ["WatchlistItem", "content"]] as const) {
      expect(policy.hintOf(type, field), `${type}.${field}`).toBeUndefined();
    }
  });

  it("catch a subgraph that declares something of the caller's PUBLIC", () => {
    expect(violations(schema, withHint("WatchProgress", "positionSeconds", "@cacheControl(maxAge: 60)"))).toContain("cacheable field of a caller's type: WatchProgress.positionSeconds");
    expect(violations(schema, withHint("Invoice", null, "@cacheControl(maxAge: 60)"))).toContain("caller's type not PRIVATE: Invoice");
    expect(violations(schema, withHint("Content", "progress", "@cacheControl(maxAge: 60)"))).toEqual(
      expect.arrayContaining(["cacheable field returning a caller's type: Content.progress", "cacheable field taking a profileId: Content.progress"]),
    );
    expect(violations(schema, withHint("Query", "notifications", "@cacheControl(maxAge: 60)"))).toContain("cacheable field returning a caller's type: Query.notifications");
    expect(violations(schema, withHint("Plan", null, ""))).toContain("type without @cacheControl: Plan");
    expect(violations(schema, withHint("Profile", "name", "@cacheControl(maxAge: 120)"))).toContain("cacheable field of a caller's type: Profile.name");
  });

  it("keep per account only what the account's own mutations write", () => {
    expect(violations(schema, withHint("Notification", null, "@cacheControl(maxAge: 30, scope: PRIVATE)"))).toContain("kept per account, not written only by its account: Notification.title");
    expect(violations(schema, withHint("Query", "notifications", "@cacheControl(maxAge: 30, scope: PRIVATE)"))).toContain("kept per account, not written only by its account: Query.notifications");
  });

  it("read nothing as cacheable from a supergraph without the linked directive", () => {
    const unlinked = CachePolicy.fromSupergraph(supergraphSdl.replace(/@link\(url: "https:\/\/watchflixx\.dev\/cacheControl[^)]*\)/, ""));
    expect(unlinked.hintOf("Content", "title")).toBeUndefined();
  });
});

describe("the fetch analysis", () => {
  it("caches a catalog _entities fetch and a catalog root fetch, for the smallest maxAge", () => {
    const entities = analyzeFetch(schema, policy, `query($representations:[_Any!]!){_entities(representations:$representations){...on Content{averageRating ratingCount}}}`);
    expect(entities).toMatchObject({ cacheable: true, entities: true, maxAge: 120 });
    const root = analyzeFetch(schema, policy, `query($profileId:ID){browse(filter:{profileId:$profileId},first:20){edges{node{__typename id title}}}}`);
    expect(root).toMatchObject({ cacheable: true, entities: false, profileVariables: ["profileId"], maxAge: 300 });
    // A profile inside an input-object variable (the contract's Browse sends `$filter`): found by its type.
    const byFilter = analyzeFetch(schema, policy, `query($filter:ContentFilter,$first:Int){browse(filter:$filter,first:$first){edges{node{id}}}}`);
    expect(byFilter).toMatchObject({ cacheable: true, profileSlots: [{ variable: "filter", path: ["profileId"] }] });
  });

  it("refuses a fetch with one caller-dependent field without a maxAge, a literal profileId, a profile variable used elsewhere, or a mutation", () => {
    const refused = [
      `query($representations:[_Any!]!){_entities(representations:$representations){...on Profile{name settings{language}}}}`,
      `{me{email}}`,
      `{me{profiles{name}}}`,
      `{browse(filter:{profileId:"p1"}){totalCount}}`,
      `query($p:ID!){trending(profileId:$p){rank} content(id:$p){id}}`,
      `mutation{signOut}`,
      `{content(id:"c1"){id title}} {plans{id}}`,
    ];
    for (const query of refused) expect(analyzeFetch(schema, policy, query).cacheable, query).toBe(false);
  });

  it("keeps a fetch of the caller's own screen data (PRIVATE with a maxAge) per account: PRIVATE scope, the smallest maxAge", () => {
    const own = [
      `query($p:ID!){continueWatching(profileId:$p,first:10){progressPercent content{__typename id title posterUrl}}}`,
      `query($id:ID!){profile(id:$id){id name isKids}}`,
      `query($representations:[_Any!]!){_entities(representations:$representations){...on Profile{watchlist{content{__typename id title}}}}}`,
      `query($representations:[_Any!]!,$p:ID){_entities(representations:$representations){...on Content{progress(profileId:$p){positionSeconds}}}}`,
    ];
    for (const query of own) expect(analyzeFetch(schema, policy, query), query).toMatchObject({ cacheable: true, scope: "PRIVATE", maxAge: 30 });
    expect(analyzeFetch(schema, policy, `{plans{id}}`)).toMatchObject({ cacheable: true, scope: "PUBLIC" });
    // Never shared: the policy's shared hint has none of them.
    expect(policy.hintOf("Content", "progress")).toBeUndefined();
    expect(policy.hintOf("Query", "continueWatching")).toBeUndefined();
    expect(policy.cacheableHintOf("Query", "continueWatching")).toEqual({ maxAge: 30, scope: "PRIVATE" });
    expect(policy.cacheableHintOf("User", "email")).toBeUndefined();
  });

  it("splits an _entities fetch that mixes shared fields with the caller's own: the shared part alone is cacheable, and never carries the profile", () => {
    // ContentDetails' streaming fetch, as the planner writes it.
    const query = `query ContentDetails__streaming__2($representations:[_Any!]!$profileId:ID){_entities(representations:$representations){...on Content{__typename averageRating ratingCount reviews(first:5){id rating body createdAt profile{__typename id}}progress(profileId:$profileId){positionSeconds progressPercent episode{__typename id}}}}}`;
    const analysis = analyzeFetch(schema, policy, query);
    // Cacheable as a whole only per account; split, the ratings are shared by everyone.
    expect(analysis).toMatchObject({ cacheable: true, scope: "PRIVATE" });
    const split = analysis.split!;
    expect(split).toBeDefined();
    expect(split.cacheable.variables).toEqual(["representations"]);
    expect(split.cacheable.query).toMatch(/averageRating/);
    expect(split.cacheable.query).not.toMatch(/progress|profileId/);
    expect(analyzeFetch(schema, policy, split.cacheable.query)).toMatchObject({ cacheable: true, scope: "PUBLIC", entities: true, maxAge: 120 });
    expect(analyzeFetch(schema, policy, split.uncacheable.query)).toMatchObject({ cacheable: true, scope: "PRIVATE", entities: true, maxAge: 30 });
    expect(split.uncacheable.variables).toEqual(["representations", "profileId"]);
    expect(split.uncacheable.query).toMatch(/progress\(profileId: \$profileId\)/);
    expect(split.uncacheable.query).not.toMatch(/averageRating|reviews/);
    // Nothing to split: all shared, or all the caller's.
    expect(analyzeFetch(schema, policy, `query($representations:[_Any!]!$p:ID){_entities(representations:$representations){...on Content{progress(profileId:$p){positionSeconds}}}}`).split).toBeUndefined();
    expect(analyzeFetch(schema, policy, `query($representations:[_Any!]!){_entities(representations:$representations){...on Content{averageRating}}}`).split).toBeUndefined();
  });
});
