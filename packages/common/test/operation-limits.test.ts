// The measures behind the operation limits (depth, aliases, root fields, tokens, cost) on a small schema, and
// the text checks: what each counts, and that a hostile document is measured in one linear pass.
import { buildSchema, parse } from "graphql";
import { describe, expect, it } from "vitest";
import {
  checkDocumentSource,
  checkDocumentText,
  checkOperationLimits,
  checkVariablesText,
  countTokens,
  DEFAULT_OPERATION_LIMITS,
  measureDocument,
  OperationTooComplexError,
  parseConfig,
  baseConfigSchema,
  operationLimitsOf,
  type OperationLimits,
} from "../src/index.ts";

const schema = buildSchema(`
  type Query {
    content(id: ID!): Content
    browse(first: Int): Connection!
    plans: [Plan!]!
    _entities(representations: [String!]!): [Content]!
  }
  type Mutation { pair(code: String!): String }
  type Connection { edges: [Edge!]! }
  type Edge { node: Content! }
  type Plan { id: ID! }
  type Content { id: ID! title: String! seasons: [Season!]! reviews(first: Int): [Review!]! genres: [String!]! }
  type Season { episodes: [Episode!]! }
  type Episode { id: ID! content: Content! }
  type Review { body: String }
`);

const limits: OperationLimits = { ...DEFAULT_OPERATION_LIMITS, listSizes: { "Content.seasons": 10, "Season.episodes": 30 }, defaultListSize: 20 };

function measure(query: string, variables?: Record<string, unknown>) {
  const measures = measureDocument(schema, parse(query), variables, limits);
  return { aliases: measures.aliases, ...[...measures.operations.values()][0] };
}

function refusal(run: () => unknown): Record<string, unknown> | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof OperationTooComplexError) return error.extensions;
    throw error;
  }
  return undefined;
}

describe("measuring a document", () => {
  it("counts depth by nested fields, each field 1 and a list field times its size", () => {
    expect(measure(`{ content(id: "1") { id title } }`)).toEqual({ aliases: 0, depth: 2, rootFields: 1, cost: 3 });
    // seasons: declared 10; episodes: declared 30; genres is a list of scalars: 1.
    expect(measure(`{ content(id: "1") { genres seasons { episodes { id } } } }`).cost).toBe(1 + 1 + 10 * (1 + 30 * 2));
  });

  it("takes a list's size from first (literal or variable), and a connection's first for the list inside it", () => {
    expect(measure(`{ content(id: "1") { reviews(first: 5) { body } } }`).cost).toBe(1 + 5 * 2);
    expect(measure(`query($n: Int) { content(id: "1") { reviews(first: $n) { body } } }`, { n: 100 }).cost).toBe(1 + 100 * 2);
    // No value: the default list size.
    expect(measure(`{ content(id: "1") { reviews { body } } }`).cost).toBe(1 + 20 * 2);
    expect(measure(`{ browse(first: 50) { edges { node { id } } } }`).cost).toBe(1 + 50 * (1 + 2));
  });

  it("sizes a subgraph's _entities by its representations", () => {
    const query = `query($r: [String!]!) { _entities(representations: $r) { ... on Content { id } } }`;
    expect(measure(query, { r: ["a", "b", "c"] }).cost).toBe(3 * 2);
  });

  it("follows fragments, once per fragment, and survives a fragment cycle (left to validation)", () => {
    const query = `
      query { content(id: "1") { ...A } }
      fragment A on Content { seasons { ...B } }
      fragment B on Season { episodes { content { id } } }`;
    expect(measure(query)).toMatchObject({ depth: 5, cost: 1 + 10 * (1 + 30 * (1 + 2)) });
    expect(measure(`{ content(id: "1") { ...A } } fragment A on Content { ...A id }`)).toMatchObject({ depth: 2 });

    // 30 fragments each spreading the next twice: 2^30 expansions if walked naively, linear with the memo.
    const chain = Array.from({ length: 30 }, (_, i) => `fragment F${i} on Content { ...F${i + 1} ...F${i + 1} }`).join("\n");
    expect(measure(`{ content(id: "1") { ...F0 } } ${chain} fragment F30 on Content { id }`).cost).toBe(1 + 2 ** 30);
  });

  it("counts aliases in the whole document and root fields through fragments", () => {
    expect(measure(`{ a: plans { id } b: plans { c: id } }`)).toMatchObject({ aliases: 3, rootFields: 2 });
    expect(measure(`{ ...R __typename } fragment R on Query { plans { id } x: plans { id } }`)).toMatchObject({ rootFields: 2 });
  });

  it("does not count introspection against depth or cost", () => {
    expect(measure(`{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }`)).toMatchObject({ depth: 0, cost: 0 });
  });
});

describe("refusing", () => {
  it("names the limit, its value and what was measured", () => {
    const deep = `{ content(id: "1") { seasons { episodes { content { seasons { episodes { content { seasons { episodes { content { id } } } } } } } } } } }`;
    expect(refusal(() => checkOperationLimits(schema, parse(deep), {}, limits))).toMatchObject({
      code: "OPERATION_TOO_COMPLEX",
      limit: "maxDepth",
      max: limits.maxDepth,
      measured: 11,
      http: { status: 400 },
    });
    const costly = `{ content(id: "1") { seasons { episodes { content { seasons { episodes { id } } } } } } }`;
    expect(refusal(() => checkOperationLimits(schema, parse(costly), {}, limits))).toMatchObject({ limit: "maxCost", max: limits.maxCost });
    const aliased = `mutation { ${Array.from({ length: 4000 }, (_, i) => `a${i}: pair(code: "x")`).join(" ")} }`;
    expect(refusal(() => checkOperationLimits(schema, parse(aliased), {}, limits))).toMatchObject({ limit: "maxAliases", measured: 4000 });
    const rooted = `{ ${Array.from({ length: 25 }, () => "plans { id }").join(" ")} }`;
    expect(refusal(() => checkOperationLimits(schema, parse(rooted), {}, limits))).toMatchObject({ limit: "maxRootFields", measured: 25 });
  });

  it("counts tokens before parsing, stopping at the limit", () => {
    expect(countTokens(`{ a(b: "c") { d } }`)).toBe(11);
    expect(countTokens(`# a comment\n{ a }`)).toBe(3);
    const long = `{ ${Array.from({ length: 10_000 }, (_, i) => `a${i}: plans { id }`).join(" ")} }`;
    expect(countTokens(long, 100)).toBe(101);
    expect(refusal(() => checkDocumentSource(long, limits))).toMatchObject({ limit: "maxTokens", max: limits.maxTokens, measured: null });
    expect(() => checkDocumentSource(`{ ${"a ".repeat(1000)} }`, limits)).not.toThrow();
  });

  it("reads its limits from the configuration", () => {
    const config = parseConfig(baseConfigSchema, { OPERATION_MAX_DEPTH: "6", OPERATION_LIST_SIZES: "Season.episodes=99, Foo.bar=3" });
    expect(operationLimitsOf(config)).toMatchObject({
      maxDepth: 6,
      maxCost: DEFAULT_OPERATION_LIMITS.maxCost,
      listSizes: { "Content.seasons": 20, "Season.episodes": 99, "Foo.bar": 3 },
    });
    expect(() => parseConfig(baseConfigSchema, { OPERATION_LIST_SIZES: "seasons" })).toThrow(/OPERATION_LIST_SIZES must be/);
    expect(() => parseConfig(baseConfigSchema, { OPERATION_MAX_COST: "0" })).toThrow(/OPERATION_MAX_COST/);
  });
});

describe("text inputs", () => {
  const codeOf = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      return { ...(error as { extensions: Record<string, unknown> }).extensions, message: (error as Error).message };
    }
    return undefined;
  };

  it("refuses a NUL, a lone surrogate or an over-long string at any depth of the variables", () => {
    expect(codeOf(() => checkVariablesText({ input: { email: "a\u0000@b.dev" } }, 100))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "$input.email",
    });
    expect(codeOf(() => checkVariablesText({ ids: ["ok", "\ud800"] }, 100))).toMatchObject({ code: "BAD_USER_INPUT", field: "$ids[1]" });
    expect(codeOf(() => checkVariablesText({ a: { b: [{ c: "x".repeat(101) }] } }, 100))?.message).toMatch(/at most 100 characters/);
    // A well-formed pair (an emoji) and ordinary text pass.
    expect(codeOf(() => checkVariablesText({ a: "thumbs 👍", b: 3, c: null, d: ["é"] }, 100))).toBeUndefined();
  });

  it("refuses the same in string literals of the document", () => {
    expect(codeOf(() => checkDocumentText(parse(`{ search(query: "a\\u0000b") }`), 100))).toMatchObject({ code: "BAD_USER_INPUT", field: "query" });
    expect(codeOf(() => checkDocumentText(parse(`{ f(input: { name: "${"y".repeat(101)}" }) }`), 100))).toMatchObject({ code: "BAD_USER_INPUT" });
    // graphql-js's lexer already refuses a lone surrogate escape in a literal (a syntax error).
    expect(() => parse(`{ f(input: { name: "\\udc00" }) }`)).toThrow(/Invalid Unicode escape/);
    expect(codeOf(() => checkDocumentText(parse(`{ f(input: { name: "fine" }) }`), 100))).toBeUndefined();
  });
});
