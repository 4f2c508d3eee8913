// The contract against the schema the gateway serves when all seven subgraphs are composed: every operation
// of every shared/operations file validates (alone and as the file clients ship), the typed documents of
// @watchflixx/clients (what the other suites send) are those operations as the files spell them, and the
// README's inputs, enums and naming rule hold.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  GraphQLEnumType,
  GraphQLInputObjectType,
  isNonNullType,
  isObjectType,
  Kind,
  parse,
  print,
  validate,
  type GraphQLSchema,
} from "graphql";
import { backticked, contractFiles, contractOperations, readmeTable, typedDocuments } from "./contract.ts";
import { leaksOf, startWorld, valueProblems, type World } from "./support.ts";

let world: World;
let schema: GraphQLSchema;

beforeAll(async () => {
  world = await startWorld();
  schema = world.schema;
});
afterAll(async () => {
  await world?.stop();
});

const messages = (source: string) => validate(schema, parse(source)).map((error) => error.message);

describe("every contract operation validates against the gateway's API schema", () => {
  it("finds the contract: web and TV files with queries, mutations and subscriptions", () => {
    expect(contractFiles.map((file) => file.file)).toEqual(expect.arrayContaining(["tv/home.graphql", "web/auth.graphql", "web/party.graphql"]));
    expect(new Set(contractOperations.map((operation) => operation.kind))).toEqual(new Set(["query", "mutation", "subscription"]));
  });

  it.each(contractOperations.map((operation) => [`${operation.file} ${operation.name}`, operation] as const))("%s", (_label, operation) => {
    expect(messages(operation.text)).toEqual([]);
  });

  it.each(contractFiles.map((file) => [file.file, file] as const))("%s as a whole document", (_label, file) => {
    expect(messages(file.source)).toEqual([]);
  });
});

describe("the typed documents of @watchflixx/clients", () => {
  it("hold every contract operation exactly as its file spells it (pnpm codegen is not stale)", () => {
    const differing = contractOperations
      .filter((operation) => {
        // The operation itself (a document would also carry the fragments it spreads).
        const typed = typedDocuments.get(operation.name)?.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
        return !typed || print(typed) !== print(parse(operation.text));
      })
      .map((operation) => `${operation.file} ${operation.name}`);
    expect(differing).toEqual([]);
  });

  it("validate against the gateway's API schema, the project's own operations too", () => {
    expect(typedDocuments.size).toBeGreaterThan(contractOperations.length);
    const invalid = [...typedDocuments].filter(([, document]) => validate(schema, document).length > 0).map(([name]) => name);
    expect(invalid).toEqual([]);
  });
});

describe("the README's rules on the schema", () => {
  it("has no object type named Query, Mutation or Subscription other than the root types", () => {
    const roots = new Map([
      ["Query", schema.getQueryType()],
      ["Mutation", schema.getMutationType()],
      ["Subscription", schema.getSubscriptionType()],
    ]);
    const impostors = Object.values(schema.getTypeMap()).filter(
      (type) => roots.has(type.name) && (!isObjectType(type) || roots.get(type.name) !== type),
    );
    expect(impostors.map((type) => type.name)).toEqual([]);
    // The billing subscription lives under another name.
    expect(schema.getType("BillingSubscription")).toBeDefined();
  });

  it("serves the input types with the fields the README lists", () => {
    const rows = readmeTable("## Inputs");
    expect(rows.length).toBeGreaterThan(10);
    const problems: string[] = [];
    const enumsListed: string[] = [];
    for (const [nameCell = "", fieldsCell = ""] of rows) {
      const [name = ""] = backticked(nameCell);
      const type = schema.getType(name);
      if (!(type instanceof GraphQLInputObjectType)) {
        problems.push(`${name} is not an input type`);
        continue;
      }
      const fields = type.getFields();
      // "`expectedVersion: Int!`, and any of `name`, ..." and "`event: PlaybackEvent` (`PLAY`, ...)".
      for (const piece of backticked(fieldsCell.replace(/\([^)]*\)/g, ""))) {
        const [fieldName = "", fieldType] = piece.split(":").map((part) => part.trim());
        const field = fields[fieldName];
        if (!field) problems.push(`${name}.${fieldName} is missing`);
        else if (fieldType && String(field.type) !== fieldType) problems.push(`${name}.${fieldName} is ${String(field.type)}, the README says ${fieldType}`);
        else if (!fieldType && isNonNullType(field.type)) problems.push(`${name}.${fieldName} must be optional`);
      }
      // An enum's values given in parentheses after its field: "`event: PlaybackEvent` (`PLAY`, `PAUSE`, ...)".
      for (const match of fieldsCell.matchAll(/`(\w+): (\w+)!?` \(((?:`[A-Z0-9_]+`(?:, )?)+)\)/g)) {
        const enumType = schema.getType(match[2] ?? "");
        const values = backticked(match[3] ?? "");
        enumsListed.push(match[2] ?? "");
        if (!(enumType instanceof GraphQLEnumType)) problems.push(`${match[2]} is not an enum`);
        else expect({ enum: match[2], values: enumType.getValues().map((value) => value.name) }).toEqual({ enum: match[2], values });
      }
    }
    expect(problems).toEqual([]);
    expect(enumsListed).toEqual(["PlaybackEvent", "PartyAction"]);
  });

  it("serves exactly the enum values the README lists (clients switch on them)", () => {
    // Row label of the README's enum table → the schema coordinates it describes.
    const where: Record<string, string[]> = {
      "`DeviceType`": ["DeviceType"],
      "`MaturityRating`": ["MaturityRating"],
      "`ContentType`": ["ContentType"],
      "subscription `status`": ["BillingSubscription.status"],
      "invoice `status`": ["Invoice.status"],
      "plan `interval` / `maxQuality`": ["Plan.interval", "Plan.maxQuality"],
      "rental `status`": ["Rental.status"],
      "party `state` / member `role`": ["PartyWatch.state", "PartyMember.role"],
      "notification `type`": ["Notification.type"],
      "ticket `status` / subtitle `format`": ["SupportTicket.status", "SubtitleTrack.format"],
    };
    const rows = readmeTable("Enums (");
    expect(rows.map(([label]) => label)).toEqual(Object.keys(where));
    for (const [label = "", valuesCell = ""] of rows) {
      const coordinates = where[label] ?? [];
      // "`MONTH`, `YEAR` / `SD`, `HD`, `UHD`": one group per coordinate; a note after the values is ignored.
      const groups = valuesCell.replace(/\([^)]*\)/g, "").split(" / ").map((group) => backticked(group));
      expect(groups).toHaveLength(coordinates.length);
      coordinates.forEach((coordinate, index) => {
        const [typeName = "", fieldName] = coordinate.split(".");
        let enumType = schema.getType(typeName);
        if (fieldName) {
          const owner = schema.getType(typeName);
          const field = isObjectType(owner) ? owner.getFields()[fieldName] : undefined;
          const named = field ? schema.getType(String(field.type).replace(/[[\]!]/g, "")) : undefined;
          enumType = named;
        }
        const actual = enumType instanceof GraphQLEnumType ? enumType.getValues().map((value) => value.name) : `${coordinate} is not an enum`;
        // Compared in order: MaturityRating's order is part of the contract.
        expect({ coordinate, values: actual }).toEqual({ coordinate, values: groups[index] });
      });
    }
  });

  it("types times as DateTime and the README's nullable fields as nullable", () => {
    const fieldType = (coordinate: string) => {
      const [typeName = "", fieldName = ""] = coordinate.split(".");
      const type = schema.getType(typeName);
      return isObjectType(type) ? String(type.getFields()[fieldName]?.type) : "missing";
    };
    const times = ["Device.lastSeenAt", "BillingSubscription.currentPeriodEnd", "Invoice.issuedAt", "Rental.expiresAt", "Review.createdAt",
      "WatchProgress.updatedAt", "WatchlistItem.addedAt", "DevicePairing.expiresAt", "PartyMessage.createdAt", "PartySyncEvent.issuedAt",
      "Notification.createdAt", "SupportTicket.createdAt", "SupportResponse.createdAt"];
    expect(Object.fromEntries(times.map((coordinate) => [coordinate, fieldType(coordinate)]))).toEqual(
      Object.fromEntries(times.map((coordinate) => [coordinate, "DateTime!"])),
    );
    const nullable = ["Query.me", "Query.profile", "Query.content", "User.subscription", "Content.averageRating", "Content.rentalPrice",
      "Content.durationMinutes", "Content.progress", "BillingSubscription.clientSecret", "Rental.clientSecret"];
    // (Rental.expiresAt is listed there too, but its note says it always has a value: non-null is compatible.)
    expect(nullable.filter((coordinate) => fieldType(coordinate).endsWith("!"))).toEqual([]);
    expect(["WatchProgress.progressPercent", "PlaybackProgress.progressPercent", "ContentAnalytics.completionRate"].map(fieldType)).toEqual([
      "Float!",
      "Float!",
      "Float!",
    ]);
    for (const coordinate of ["Mutation.signOut", "Mutation.deleteProfile", "Mutation.leavePartyWatch", "Mutation.removeFromWatchlist"]) {
      expect({ coordinate, type: fieldType(coordinate) }).toEqual({ coordinate, type: "Boolean!" });
    }
  });
});

describe("the checks every response goes through", () => {
  it("flag a time that is not ISO 8601 UTC, a percentage out of range, and an error that leaks internals", () => {
    const source = "query { continueWatching(profileId: \"p\") { updatedAt progressPercent } contentAnalytics(contentId: \"c\") { completionRate } }";
    const good = { continueWatching: [{ updatedAt: "2026-01-02T03:04:05.678Z", progressPercent: 100 }], contentAnalytics: { completionRate: 0 } };
    expect(valueProblems(schema, source, undefined, good)).toEqual([]);
    const bad = { continueWatching: [{ updatedAt: "2026-01-02T04:04:05+01:00", progressPercent: 140 }], contentAnalytics: { completionRate: 1.5 } };
    expect(valueProblems(schema, source, undefined, bad)).toHaveLength(3);
    expect(leaksOf({ message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } })).toEqual([]);
    expect(leaksOf({ message: "Invalid `prisma.profile.findUnique()` invocation" })).not.toEqual([]);
    expect(leaksOf({ message: "x", extensions: { stacktrace: ["Error: x", "    at f (/work/a.ts:1:2)"] } })).not.toEqual([]);
    expect(leaksOf({ message: 'relation "profiles" does not exist' })).not.toEqual([]);
  });
});
