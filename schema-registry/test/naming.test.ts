// The contract: no object type other than the root types may be named Query, Mutation or Subscription.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatIssue, publishRegistry, rootTypeNameProblems, runCheck } from "../src/index.ts";
import { ACCOUNTS_SDL, fixtureSubgraphs, scratch, subgraph, type Scratch } from "./fixtures.ts";

const LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])`;

// The mistake: the billing subscription modelled as a type called `Subscription`.
const BILLING_NAMED_SUBSCRIPTION = `${LINK}

type Query {
  plans: [String!]!
}

type User @key(fields: "id") {
  id: ID!
  subscription: Subscription
}

type Subscription @key(fields: "id") {
  id: ID!
  status: String!
}
`;

const BILLING_RENAMED = `${LINK}

type Query {
  plans: [String!]!
}

type User @key(fields: "id") {
  id: ID!
  subscription: BillingSubscription
}

type BillingSubscription @key(fields: "id") {
  id: ID!
  status: String!
}
`;

const REAL_SUBSCRIPTION_ROOT = `${LINK}

type Query {
  party(id: ID!): Party
}

type Party @key(fields: "id") {
  id: ID!
}

type Subscription {
  partySync(id: ID!): Party!
}
`;

let work: Scratch;
beforeEach(() => {
  work = scratch();
});
afterEach(() => work.remove());

describe("root type names", () => {
  it("rejects an object type named Subscription that is a data type, in the check", async () => {
    await publishRegistry({ subgraphs: fixtureSubgraphs(), registryDir: work.registryDir });
    const result = await runCheck({
      subgraphs: [...fixtureSubgraphs(), subgraph("billing", BILLING_NAMED_SUBSCRIPTION)],
      registryDir: work.registryDir,
      requireUpToDate: false,
    });
    expect(result.ok).toBe(false);
    const errors = result.issues.map(formatIssue);
    expect(errors[0]).toMatch(/^error\[E002\]: Object type "Subscription" in subgraph "billing" is a data type \(it is an entity \(@key\)\), not the subscription root type/);
  });

  it("names where the type is used when it is not an entity", () => {
    const sdl = BILLING_NAMED_SUBSCRIPTION.replace('type Subscription @key(fields: "id")', "type Subscription");
    expect(rootTypeNameProblems(subgraph("billing", sdl))).toEqual([
      expect.stringContaining('is a data type (it is the type of "User.subscription")'),
    ]);
  });

  it("rejects a type named Query when the schema declares another query root", () => {
    const sdl = `schema { query: RootQuery }\n\ntype RootQuery {\n  me: Query\n}\n\ntype Query {\n  id: ID!\n}\n`;
    expect(rootTypeNameProblems(subgraph("odd", sdl))).toEqual([expect.stringContaining('Object type "Query" in subgraph "odd" is not the query root type')]);
  });

  it("accepts BillingSubscription and a real Subscription root type", async () => {
    expect(rootTypeNameProblems(subgraph("billing", BILLING_RENAMED))).toEqual([]);
    expect(rootTypeNameProblems(subgraph("social", REAL_SUBSCRIPTION_ROOT))).toEqual([]);
    const result = await runCheck({
      subgraphs: [subgraph("accounts", ACCOUNTS_SDL), subgraph("billing", BILLING_RENAMED), subgraph("social", REAL_SUBSCRIPTION_ROOT)],
      registryDir: work.registryDir,
      requireUpToDate: false,
    });
    expect(result.issues.map(formatIssue)).toEqual([]);
  });
});
