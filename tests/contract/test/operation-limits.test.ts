// Nothing a client sends can take the supergraph down: the attacks measured against the running stack (issue 11),
// sent as they were, through the real gateway and straight to the subgraphs' own ports, over HTTP and WebSocket.
// Each is refused with OPERATION_TOO_COMPLEX before validation and planning while other clients are served; bad
// text (NUL, lone surrogates, over-long strings) is BAD_USER_INPUT with nothing written; unreadable bodies get a
// JSON error. And every operation of the contract and the project passes the limits with room to spare.
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { createClient as createWsClient } from "graphql-ws";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Kind, parse, print } from "graphql";
import { operationFromDocument, Supergraph } from "@apollo/federation-internals";
import { QueryPlanner, type PlanNode, type SubscriptionNode } from "@apollo/query-planner";
import {
  checkDocumentSource,
  checkOperationLimits,
  countTokens,
  DEFAULT_INPUT_MAX_STRING_LENGTH,
  DEFAULT_OPERATION_LIMITS,
  operationLimitsOf,
  type SubgraphDefinition,
} from "@watchflixx/common";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { postToSubgraph, startSupergraph, type GraphQLResult, type RunningSupergraph } from "@watchflixx/testing";
import { contractFiles, typedDocuments } from "./contract.ts";
import { allSubgraphs, codeOf, DEMO_PASSWORD, must, ok, uniqueEmail } from "./support.ts";

let database: TestDatabase;
let supergraph: RunningSupergraph;
let token: string;
let profileId: string;
let seriesId: string;

beforeAll(async () => {
  database = await createTestDatabase({ seeded: true });
  supergraph = await startSupergraph({ db: database.db, config: { LOG_LEVEL: "error" }, subgraphs: await allSubgraphs() });
  const signedIn = ok(
    await supergraph.gql<{ signIn: { accessToken: string } }>(`mutation($input: SignInInput!) { signIn(input: $input) { accessToken } }`, {
      input: { email: "alice@watchflixx.dev", password: DEMO_PASSWORD },
    }),
  );
  token = signedIn.signIn.accessToken;
  profileId = must(ok(await supergraph.gql<{ me: { profiles: { id: string }[] } }>(`{ me { profiles { id } } }`, {}, { token })).me.profiles[0]?.id, "a profile of alice");
  const series = await database.db.content.findFirst({ where: { type: "SERIES", seasons: { some: { episodes: { some: {} } } } }, select: { id: true } });
  seriesId = must(series, "a seeded series with episodes").id;
});

afterAll(async () => {
  await supergraph?.stop();
  await database?.drop();
});

// ---------------------------------------------------------------------------------------------------------------
// The attacks, as they were sent

/** `content { seasons { episodes { content { ... } } } }` with `levels` titles on the way down, a few fields each. */
function nestedContent(levels: number, id: string): string {
  let inner = "id title";
  for (let level = 1; level < levels; level++) inner = `id title seasons { number episodes { id title content { ${inner} } } }`;
  return `{ content(id: "${id}") { ${inner} } }`;
}

const pairingAliases = `mutation { ${Array.from({ length: 4000 }, (_, i) => `p${i}: completeDevicePairing(pairingCode: "ABC${i}") { accessToken }`).join(" ")} }`;
const planAliases = `{ ${Array.from({ length: 10_000 }, (_, i) => `a${i}: plans { id }`).join(" ")} }`;

interface RawResponse {
  status: number;
  text: string;
  body: GraphQLResult;
}

async function post(url: string, body: string | Uint8Array, headers: Record<string, string> = {}): Promise<RawResponse> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
  const text = await response.text();
  let parsed: GraphQLResult;
  try {
    parsed = JSON.parse(text) as GraphQLResult;
  } catch {
    throw new Error(`HTTP ${response.status} with a body that is not JSON: ${text.slice(0, 300)}`);
  }
  return { status: response.status, text, body: parsed };
}

const postQuery = (url: string, query: string, variables?: Record<string, unknown>, token?: string) =>
  post(url, JSON.stringify({ query, variables }), token ? { authorization: `Bearer ${token}` } : {});

function expectRefused(response: RawResponse, limit: string): void {
  expect(response.status).toBe(400);
  expect(response.body.data).toBeUndefined();
  expect(response.body.errors).toHaveLength(1);
  expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: "OPERATION_TOO_COMPLEX", limit, max: expect.any(Number) });
  expect(response.body.errors?.[0]?.extensions).not.toHaveProperty("http");
}

describe("hostile documents at the gateway", () => {
  it("refuses the 10-level nested content query and the depth-7 one", async () => {
    const ten = nestedContent(10, seriesId);
    const seven = nestedContent(3, seriesId);
    console.log(`nested content: 10 levels ${ten.length} bytes, 3 titles deep (depth 7 + leaf) ${seven.length} bytes`);
    expectRefused(await postQuery(supergraph.url, ten), "maxDepth");
    const refused = await postQuery(supergraph.url, seven);
    expectRefused(refused, "maxCost");
    console.log(`depth 7: ${refused.body.errors?.[0]?.message}`);
    // One level of titles is what a client asks for, and is answered.
    const ordinary = ok(await supergraph.gql<{ content: { id: string } }>(nestedContent(2, seriesId).replace(/content \{ id title \}/, "id")));
    expect(ordinary.content.id).toBe(seriesId);
  });

  it("refuses 4,000 aliased completeDevicePairing mutations (anonymous) and 10,000 aliases of plans, and serves another client meanwhile", async () => {
    const started = Date.now();
    const [pairing, plans, other] = await Promise.all([
      postQuery(supergraph.url, pairingAliases),
      postQuery(supergraph.url, planAliases),
      (async () => {
        // Another client's ordinary requests, while the hostile ones are in flight.
        const answers = [];
        for (let i = 0; i < 3; i++) answers.push(await supergraph.gql<{ plans: unknown[] }>(`query Plans { plans { id name priceCents } }`));
        return answers;
      })(),
    ]);
    expectRefused(pairing, "maxTokens");
    expectRefused(plans, "maxTokens");
    for (const answer of other) expect(ok(answer).plans.length).toBeGreaterThan(0);
    console.log(`4,000 pairings (${pairingAliases.length} bytes) and 10,000 plans aliases (${planAliases.length} bytes) refused; all answered in ${Date.now() - started} ms`);
  });

  it("refuses documents under the token limit that alias or fan out too much", async () => {
    const aliased = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: plans { id }`).join(" ")} }`;
    expectRefused(await postQuery(supergraph.url, aliased), "maxAliases");
    const rooted = `{ ${Array.from({ length: 30 }, () => "plans { id }").join(" ")} }`;
    expectRefused(await postQuery(supergraph.url, rooted), "maxRootFields");
    // first: 100 titles, each with every season's episodes' reviews.
    const wide = `{ browse(first: 100) { edges { node { seasons { episodes { content { reviews(first: 100) { rating } } } } } } } }`;
    expectRefused(await postQuery(supergraph.url, wide), "maxCost");
  });

  it("holds a persisted query sent by its hash alone to the limits with this request's variables", async () => {
    const query = `query($n: Int) { browse(first: $n) { edges { node { seasons { episodes { id } } } } } }`;
    const sha256Hash = createHash("sha256").update(query).digest("hex");
    const persisted = { persistedQuery: { version: 1, sha256Hash } };
    // Registered with a small page, then asked again by hash with first: 100.
    ok((await post(supergraph.url, JSON.stringify({ query, variables: { n: 1 }, extensions: persisted }))).body);
    const byHash = await post(supergraph.url, JSON.stringify({ variables: { n: 100 }, extensions: persisted }));
    expectRefused(byHash, "maxCost");
  });

  it("refuses the same over WebSocket, before planning", async () => {
    const client = createWsClient({
      url: supergraph.url.replace(/^http/, "ws"),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    try {
      const aliased = `subscription { ${Array.from({ length: 40 }, (_, i) => `n${i}: notificationAdded { id }`).join(" ")} }`;
      const errors = await new Promise<unknown>((resolve) => {
        client.subscribe({ query: aliased }, { next: () => undefined, error: resolve, complete: () => resolve(undefined) });
      });
      expect(errors).toEqual([expect.objectContaining({ extensions: { code: "OPERATION_TOO_COMPLEX", limit: "maxAliases", max: 30, measured: 40 } })]);
    } finally {
      await client.dispose();
    }
  });
});

describe("hostile documents straight to the subgraphs", () => {
  const secret = () => supergraph.config.GATEWAY_SHARED_SECRET;
  const subgraphUrl = (name: string) => must(supergraph.subgraphs[name], `the ${name} subgraph`).url;

  it("content refuses the nested query; auth the aliased pairings; payment the aliased plans", async () => {
    const nested = await post(subgraphUrl("content"), JSON.stringify({ query: nestedContent(10, seriesId) }));
    expectRefused(nested, "maxDepth");
    expectRefused(await post(subgraphUrl("content"), JSON.stringify({ query: nestedContent(3, seriesId) })), "maxCost");
    expectRefused(await post(subgraphUrl("auth"), JSON.stringify({ query: pairingAliases })), "maxTokens");
    expectRefused(await post(subgraphUrl("payment"), JSON.stringify({ query: planAliases })), "maxTokens");
    const fewerAliases = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: plans { id }`).join(" ")} }`;
    const refused = await postToSubgraph<GraphQLResult>(subgraphUrl("payment"), secret(), fewerAliases);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "OPERATION_TOO_COMPLEX", limit: "maxAliases" });
  });

  it("a subgraph's own graphql-ws refuses too", async () => {
    const client = createWsClient({ url: subgraphUrl("notification").replace(/^http/, "ws"), webSocketImpl: WebSocket, retryAttempts: 0 });
    try {
      const aliased = `subscription { ${Array.from({ length: 40 }, (_, i) => `n${i}: notificationAdded { id }`).join(" ")} }`;
      const errors = await new Promise<unknown>((resolve) => {
        client.subscribe({ query: aliased }, { next: () => undefined, error: resolve, complete: () => resolve(undefined) });
      });
      expect(errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: "OPERATION_TOO_COMPLEX", limit: "maxAliases" }) })]);
    } finally {
      await client.dispose();
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Text inputs

describe("bad text in any string input", () => {
  const badUserInput = (result: GraphQLResult | RawResponse) => {
    const body = "body" in result ? result.body : result;
    expect(codeOf(body)).toBe("BAD_USER_INPUT");
    expect(body.data ?? undefined).toBeUndefined();
    return body.errors?.[0];
  };

  it("search: a NUL in a variable or a literal, a lone surrogate, an over-long query", async () => {
    const search = `query($query: String!) { search(query: $query) { id } }`;
    expect(badUserInput(await supergraph.gql(search, { query: "star\u0000wars" }))?.extensions?.field).toBe("$query");
    badUserInput(await supergraph.gql(`{ search(query: "star\\u0000wars") { id } }`));
    badUserInput(await supergraph.gql(search, { query: "star\ud800" }));
    const long = badUserInput(await supergraph.gql(search, { query: "x".repeat(DEFAULT_INPUT_MAX_STRING_LENGTH + 1) }));
    expect(long?.message).toMatch(/at most 10000 characters/);
    // Ordinary text, emoji included, is searched.
    const searched = ok(await supergraph.gql<{ search: unknown[] }>(search, { query: "the 👍" }));
    expect(searched.search).toBeInstanceOf(Array);
  });

  it("signUp with a NUL in the email creates no account", async () => {
    const email = uniqueEmail("nul");
    const [local] = email.split("@");
    const before = await database.db.user.count();
    badUserInput(
      await supergraph.gql(`mutation($input: SignUpInput!) { signUp(input: $input) { accessToken } }`, {
        input: { email: `${local}\u0000@example.test`, password: "a long enough passphrase 42", name: "Nul" },
      }),
    );
    expect(await database.db.user.count()).toBe(before);
  });

  it("openSupportTicket and a review with a NUL write nothing", async () => {
    const tickets = await database.db.supportTicket.count();
    const reviews = await database.db.review.count();
    const ratings = await database.db.rating.count();
    badUserInput(
      await supergraph.gql(
        `mutation($input: OpenSupportTicketInput!) { openSupportTicket(input: $input) { id } }`,
        { input: { subject: "Playback", message: "It stops\u0000 after a minute" } },
        { token },
      ),
    );
    badUserInput(
      await supergraph.gql(
        `mutation($input: RateContentInput!) { rateContent(input: $input) { rating } }`,
        { input: { profileId, contentId: seriesId, rating: 4, body: "Great\u0000" } },
        { token },
      ),
    );
    expect(await database.db.supportTicket.count()).toBe(tickets);
    expect(await database.db.review.count()).toBe(reviews);
    expect(await database.db.rating.count()).toBe(ratings);
  });

  it("an ID with a NUL, at the gateway and at the subgraph", async () => {
    badUserInput(await supergraph.gql(`query($id: ID!) { content(id: $id) { id } }`, { id: `${seriesId}\u0000` }));
    const direct = await postQuery(must(supergraph.subgraphs.content, "content").url, `query($id: ID!) { content(id: $id) { id } }`, { id: "\u0000" });
    expect(direct.status).toBe(400);
    badUserInput(direct);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Bodies that cannot be read

describe("unreadable bodies get a JSON error", () => {
  const targets = () => [
    ["gateway", supergraph.url],
    ["content subgraph", must(supergraph.subgraphs.content, "content").url],
  ] as const;

  function expectCleanError(response: RawResponse, status: number): void {
    expect(response.status).toBe(status);
    expect(response.body.errors?.[0]?.extensions?.code).toBe("BAD_REQUEST");
    expect(response.text).not.toMatch(/\n\s*at /);
    expect(response.text).not.toMatch(/\/work|node_modules|\.ts:\d|\.js:\d/);
  }

  it("malformed JSON, a bad gzip body, an unknown encoding, a wrong content type, a body over the limit", async () => {
    for (const [, url] of targets()) {
      expectCleanError(await post(url, `{"query": "{ plans { id } }"`), 400);
      expectCleanError(await post(url, `not json at all`), 400);
      expectCleanError(await post(url, new Uint8Array([0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8]), { "content-encoding": "gzip" }), 400);
      expectCleanError(await post(url, `{}`, { "content-encoding": "x-unknown" }), 415);
      // A body that is not JSON at all (text/plain; with the CSRF header, or it is refused for CSRF first).
      expectCleanError(await post(url, `{ plans { id } }`, { "content-type": "text/plain", "apollo-require-preflight": "true" }), 400);
      expectCleanError(await post(url, `{ plans { id } }`, { "content-type": "text/plain" }), 400);
      const huge = JSON.stringify({ query: "{ plans { id } }", variables: { pad: "x".repeat(2 * 1024 * 1024) } });
      expectCleanError(await post(url, huge), 413);
      // A well-formed gzip body is read as usual.
      const zipped = await post(url, gzipSync(JSON.stringify({ query: "{ __typename }" })), { "content-encoding": "gzip" });
      expect(zipped.body).toEqual({ data: { __typename: "Query" } });
    }
  });
});

describe("two ways in, at the gateway and at a subgraph", () => {
  // A plain JSON POST with a declared length (what clients send the gateway, and the gateway its subgraphs) is
  // served without express (graphql-post.ts); the same body sent chunked goes through express. A client must not
  // be able to tell which: same status, body, request id and CORS headers.
  const origin = "https://studio.apollographql.com";
  const sent = { "content-type": "application/json", origin, "x-request-id": "two-ways-1" };

  async function send(url: string, body: string, chunked: boolean) {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(body));
        controller.close();
      },
    });
    const init = chunked ? { body: stream, duplex: "half" } : { body };
    const response = await fetch(url, { method: "POST", headers: sent, ...init } as RequestInit);
    const text = await response.text();
    return {
      status: response.status,
      body: JSON.parse(text) as GraphQLResult,
      requestId: response.headers.get("x-request-id"),
      allowOrigin: response.headers.get("access-control-allow-origin"),
    };
  }

  it("answers a body with a length exactly as the same body chunked: an answer, refusals, bodies that are no request", async () => {
    const bodies = [
      JSON.stringify({ query: `query($id: ID!) { content(id: $id) { id title } }`, variables: { id: seriesId } }),
      JSON.stringify({ query: nestedContent(3, seriesId) }),
      JSON.stringify({ query: "{ nope }" }),
      `{"query": "{ __typename }"`,
      "null",
      "42",
    ];
    for (const [name, url] of [["gateway", supergraph.url], ["content", must(supergraph.subgraphs.content, "content").url]] as const) {
      for (const body of bodies) {
        const sized = await send(url, body, false);
        const chunked = await send(url, body, true);
        expect(sized, `${name}: ${body}`).toEqual(chunked);
      }
      const answered = await send(url, bodies[0]!, false);
      expect(answered.body.data).toEqual({ content: { id: seriesId, title: expect.any(String) } });
      expect((await send(url, "null", false)).body.errors?.[0]?.extensions?.code).toBe("BAD_REQUEST");
      expect((await send(url, bodies[1]!, false)).body.errors?.[0]?.extensions?.code).toBe("OPERATION_TOO_COMPLEX");
    }
    const atGateway = await send(supergraph.url, bodies[0]!, false);
    expect([atGateway.requestId, atGateway.allowOrigin]).toEqual(["two-ways-1", origin]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The contract passes

/** Every list size argument at its largest allowed value (first: 100), the worst a client can legitimately ask. */
const largestPages = new Proxy({}, { get: () => 100 }) as Record<string, unknown>;

function collectFetches(node: PlanNode | SubscriptionNode | undefined, into: { serviceName: string; operation: string }[]): void {
  if (!node) return;
  switch (node.kind) {
    case "Fetch":
      into.push({ serviceName: node.serviceName, operation: node.operation });
      return;
    case "Sequence":
    case "Parallel":
      for (const child of node.nodes) collectFetches(child, into);
      return;
    case "Flatten":
      collectFetches(node.node, into);
      return;
    case "Condition":
      collectFetches(node.ifClause, into);
      collectFetches(node.elseClause, into);
      return;
    case "Subscription":
      into.push({ serviceName: node.primary.serviceName, operation: node.primary.operation });
      collectFetches(node.rest, into);
      return;
    case "Defer":
      collectFetches(node.primary.node, into);
      for (const deferred of node.deferred) collectFetches(deferred.node, into);
      return;
  }
}

describe("the contract within the limits", () => {
  it("every operation of the contract and the project passes, at the gateway and as planned for the subgraphs, at most half of each limit", () => {
    const limits = operationLimitsOf(supergraph.config);
    expect(limits).toEqual(DEFAULT_OPERATION_LIMITS);
    const schema = must(supergraph.gateway.gateway.schema, "the API schema");
    const sources = [
      ...contractFiles.map(({ file, source }) => ({ file, source })),
      ...[...typedDocuments].map(([name, document]) => ({ file: `@watchflixx/clients ${name}`, source: print(document) })),
    ];
    const rows: string[] = [];
    const worst = { tokens: 0, depth: 0, aliases: 0, rootFields: 0, cost: 0 };
    for (const { file, source } of sources) {
      const tokens = countTokens(source);
      checkDocumentSource(source, limits);
      const measures = checkOperationLimits(schema, parse(source), largestPages, limits);
      worst.tokens = Math.max(worst.tokens, tokens);
      worst.aliases = Math.max(worst.aliases, measures.aliases);
      for (const [name, operation] of measures.operations) {
        rows.push(`${file.padEnd(44)} ${name.padEnd(24)} depth ${operation.depth}  root fields ${operation.rootFields}  cost ${operation.cost}`);
        worst.depth = Math.max(worst.depth, operation.depth);
        worst.rootFields = Math.max(worst.rootFields, operation.rootFields);
        worst.cost = Math.max(worst.cost, operation.cost);
      }
    }

    // What the gateway sends each subgraph for them: the query planner's fetches, held to the subgraphs' limits.
    const schemas = new Map(Object.values(supergraph.definitions).map((definition) => [definition.name, definition.schema]));
    const federated = Supergraph.build(supergraph.supergraphSdl);
    const apiSchema = federated.apiSchema();
    const planner = new QueryPlanner(federated);
    const planned = { tokens: 0, depth: 0, aliases: 0, rootFields: 0, cost: 0, fetches: 0 };
    for (const { source } of contractFiles) {
      for (const definition of parse(source).definitions) {
        if (definition.kind !== Kind.OPERATION_DEFINITION || !definition.name) continue;
        const plan = planner.buildQueryPlan(operationFromDocument(apiSchema, parse(source), { operationName: definition.name.value }));
        const fetches: { serviceName: string; operation: string }[] = [];
        collectFetches(plan.node, fetches);
        for (const fetch of fetches) {
          const subgraphSchema = must(schemas.get(fetch.serviceName as SubgraphDefinition["name"]), `the ${fetch.serviceName} schema`);
          checkDocumentSource(fetch.operation, limits);
          const measures = checkOperationLimits(subgraphSchema, parse(fetch.operation), largestPages, limits);
          planned.fetches++;
          planned.tokens = Math.max(planned.tokens, countTokens(fetch.operation));
          planned.aliases = Math.max(planned.aliases, measures.aliases);
          for (const operation of measures.operations.values()) {
            planned.depth = Math.max(planned.depth, operation.depth);
            planned.rootFields = Math.max(planned.rootFields, operation.rootFields);
            planned.cost = Math.max(planned.cost, operation.cost);
          }
        }
      }
    }

    console.log(
      [
        `limits: depth ${limits.maxDepth}, aliases ${limits.maxAliases}, root fields ${limits.maxRootFields}, tokens ${limits.maxTokens}, cost ${limits.maxCost} (lists: ${limits.defaultListSize} unless sized)`,
        ...rows,
        `largest at the gateway: ${JSON.stringify(worst)}`,
        `largest of ${planned.fetches} subgraph fetches (entity batches of ${limits.defaultListSize}): ${JSON.stringify(planned)}`,
      ].join("\n"),
    );
    for (const figures of [worst, planned]) {
      expect(figures.tokens).toBeLessThanOrEqual(limits.maxTokens / 2);
      expect(figures.depth).toBeLessThanOrEqual(limits.maxDepth / 2);
      expect(figures.aliases).toBeLessThanOrEqual(limits.maxAliases / 2);
      expect(figures.rootFields).toBeLessThanOrEqual(limits.maxRootFields / 2);
      expect(figures.cost).toBeLessThanOrEqual(limits.maxCost / 2);
    }
  });
});
