// Trusted documents through the real gateway, with the safelist enforced (TRUSTED_DOCUMENTS=enforce, as in
// production and in every contract suite): the manifest `pnpm codegen` writes (clients/persisted-query-manifest.json)
// holds exactly the typed documents clients send; Apollo's persisted-query protocol over HTTP and graphql-ws; any
// other document refused with QUERY_NOT_IN_SAFELIST, a subscription included.
import { readFileSync } from "node:fs";
import path from "node:path";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { print, type ExecutionResult } from "graphql";
import type { Client } from "graphql-ws";
import {
  NotificationAddedDocument,
  OpenSupportTicketDocument,
  PlansDocument,
  RespondToSupportTicketDocument,
  SignInDocument,
  SignUpDocument,
} from "@watchflixx/clients";
import { repositoryRoot } from "@watchflixx/common";
import { ApolloClient, CombinedGraphQLErrors, gql, HttpLink, InMemoryCache } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { typedDocuments } from "./contract.ts";
import { DEMO_PASSWORD, ok, PASSWORD, startWorld, uniqueEmail, type World } from "./support.ts";

interface Manifest {
  format: string;
  version: number;
  operations: Array<{ id: string; name: string; type: string; body: string }>;
}

const manifest = JSON.parse(readFileSync(path.join(repositoryRoot, "clients", "persisted-query-manifest.json"), "utf8")) as Manifest;
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const idOf = (name: string) => {
  const entry = manifest.operations.find((operation) => operation.name === name);
  if (!entry) throw new Error(`the manifest has no ${name}`);
  return entry.id;
};

let world: World;
const sockets: Client[] = [];

beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await Promise.all(sockets.map((socket) => socket.dispose()));
  await world?.stop();
});

/** A raw POST to the gateway, the way a client library puts it on the wire. */
async function post(body: Record<string, unknown>, token?: string): Promise<{ status: number; body: ExecutionResult & { errors?: Array<{ extensions?: Record<string, unknown> }> } }> {
  const response = await fetch(world.client.url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as never };
}

const persisted = (sha256Hash: string) => ({ persistedQuery: { version: 1, sha256Hash } });

describe("the manifest", () => {
  it("is Apollo's persisted query manifest, one entry per typed document, id = sha256 of what a client sends", () => {
    expect(manifest.format).toBe("apollo-persisted-query-manifest");
    expect(manifest.version).toBe(1);
    expect(manifest.operations.map((operation) => operation.name).sort()).toEqual([...typedDocuments.keys()].sort());
    for (const [name, document] of typedDocuments) {
      // What fetch, graphql-ws and the contract's client send: the typed document printed.
      const sent = print(document);
      const entry = manifest.operations.find((operation) => operation.name === name);
      expect(entry?.body, name).toBe(sent);
      expect(entry?.id, name).toBe(sha256(sent));
    }
  });
});

describe("persisted queries over HTTP", () => {
  it("runs a manifest operation sent by its hash alone (no query), as Apollo Client's persisted-queries link does", async () => {
    const { status, body } = await post({ operationName: "Plans", extensions: persisted(idOf("Plans")) });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect((body.data as { plans: unknown[] }).plans.length).toBeGreaterThan(0);
  });

  it("runs a hash-only GET (useGETForHashedQueries)", async () => {
    const url = new URL(world.client.url);
    url.searchParams.set("operationName", "Plans");
    url.searchParams.set("extensions", JSON.stringify(persisted(idOf("Plans"))));
    const response = await fetch(url, { headers: { "apollo-require-preflight": "true" } });
    const body = (await response.json()) as ExecutionResult;
    expect(body.errors).toBeUndefined();
    expect((body.data as { plans: unknown[] }).plans.length).toBeGreaterThan(0);
  });

  it("answers PERSISTED_QUERY_NOT_FOUND for a hash it does not know", async () => {
    const { body } = await post({ extensions: persisted(sha256("query Unknown { plans { id } }")) });
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
  });
});

describe("the safelist (TRUSTED_DOCUMENTS=enforce)", () => {
  it("refuses a document that is not in the manifest, before running it", async () => {
    const email = uniqueEmail("safelist");
    const { status, body } = await post({
      query: `mutation Sneaky($input: SignUpInput!) { signUp(input: $input) { accessToken } }`,
      variables: { input: { email, password: PASSWORD, name: "Sneaky" } },
    });
    expect(status).toBe(403);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.extensions?.code).toBe("QUERY_NOT_IN_SAFELIST");
    // Nothing ran: the same email signs up through the trusted SignUp.
    ok(await world.client.run(SignUpDocument, { input: { email, password: PASSWORD, name: "Honest" } }));
  });

  it("refuses an extra field added to a trusted operation, and an arbitrary one even with its hash (no registration)", async () => {
    const widened = print(PlansDocument).replace("plans {", "plans {\n    again: id");
    expect((await post({ query: widened, operationName: "Plans" })).body.errors?.[0]?.extensions?.code).toBe("QUERY_NOT_IN_SAFELIST");

    const arbitrary = "query Arbitrary { plans { id name } }";
    const attempt = await post({ query: arbitrary, extensions: persisted(sha256(arbitrary)) });
    expect(attempt.body.errors?.[0]?.extensions?.code).toBe("QUERY_NOT_IN_SAFELIST");
    // The APQ "register" step did not store it: the hash alone is still unknown.
    expect((await post({ extensions: persisted(sha256(arbitrary)) })).body.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
  });

  it("runs a manifest document sent as text, as printed or formatted otherwise (same operation)", async () => {
    const asPrinted = await post({ query: print(PlansDocument), operationName: "Plans" });
    expect(asPrinted.body.errors).toBeUndefined();
    const compact = print(PlansDocument).replace(/\s+/g, " ");
    const reformatted = await post({ query: compact, operationName: "Plans", extensions: persisted(sha256(compact)) });
    expect(reformatted.body.errors).toBeUndefined();
    expect(reformatted.body.data).toEqual(asPrinted.body.data);
  });

  it("lets introspection through while INTROSPECTION is on (Apollo Sandbox loads the schema)", async () => {
    const { body } = await post({ query: "query IntrospectionQuery { __schema { queryType { name } } }" });
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ __schema: { queryType: { name: "Query" } } });
  });
});

describe("Apollo Client (InMemoryCache, persisted-queries link) against the enforced gateway", () => {
  /** A real Apollo Client whose requests are counted; `__typename`s added by its cache, hashes by its link. */
  function apolloClient() {
    const requests: Array<Record<string, unknown>> = [];
    const counting: typeof fetch = async (input, init) => {
      requests.push(JSON.parse(String(init?.body)) as Record<string, unknown>);
      return fetch(input, init);
    };
    const link = new PersistedQueryLink({ sha256: (text: string) => sha256(text) }).concat(new HttpLink({ uri: world.client.url, fetch: counting }));
    return { client: new ApolloClient({ link, cache: new InMemoryCache() }), requests };
  }

  it("runs a contract operation with one hash-only request", async () => {
    const { client, requests } = apolloClient();
    const result = await client.query({ query: PlansDocument, fetchPolicy: "network-only" });
    expect(result.error).toBeUndefined();
    expect(result.data?.plans.length).toBeGreaterThan(0);
    // Its cache added `__typename` (not in the typed document's result type) and the gateway ran that form.
    expect((result.data?.plans[0] as { __typename?: string } | undefined)?.__typename).toBe("Plan");
    expect(requests).toHaveLength(1);
    expect(requests[0]?.query).toBeUndefined();
  });

  it("gets QUERY_NOT_IN_SAFELIST for an operation outside the manifest (after its full-text retry)", async () => {
    const { client, requests } = apolloClient();
    const result = await client.query({ query: gql`query Cheapest { plans { priceCents } }`, fetchPolicy: "network-only", errorPolicy: "all" });
    expect(result.data).toBeUndefined();
    expect(CombinedGraphQLErrors.is(result.error) ? result.error.errors[0]?.extensions?.code : String(result.error)).toBe("QUERY_NOT_IN_SAFELIST");
    expect(requests.map((request) => typeof request.query)).toEqual(["undefined", "string"]);
  });
});

describe("the safelist over graphql-ws", () => {
  function subscribeRaw(token: string, payload: { query: string; operationName?: string; extensions?: Record<string, unknown> }) {
    const socket = world.client.ws(token);
    sockets.push(socket);
    const seen: { results: ExecutionResult[]; errors: unknown[] } = { results: [], errors: [] };
    socket.subscribe(payload, {
      next: (result) => seen.results.push(result as ExecutionResult),
      error: (error) => seen.errors.push(error),
      complete: () => undefined,
    });
    return seen;
  }

  async function until<T>(what: string, value: () => T | undefined, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = value();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  it("refuses a subscription that is not in the manifest, and an unknown hash", async () => {
    const token = ok(await world.client.run(SignUpDocument, { input: { email: uniqueEmail("ws-safelist"), password: PASSWORD, name: "Ws" } })).signUp.accessToken;
    const untrusted = subscribeRaw(token, { query: "subscription { notificationAdded { id body } }" });
    const refused = await until("the refusal", () => (untrusted.errors[0] as Array<{ extensions?: { code?: unknown } }> | undefined)?.[0]);
    expect(refused.extensions?.code).toBe("QUERY_NOT_IN_SAFELIST");

    const unknown = subscribeRaw(token, { query: "", extensions: persisted(sha256("subscription Nope { notificationAdded { id } }")) });
    const notFound = await until("not found", () => (unknown.errors[0] as Array<{ extensions?: { code?: unknown } }> | undefined)?.[0]);
    expect(notFound.extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
  });

  it("serves a manifest subscription sent by its hash alone (query empty)", async () => {
    const user = ok(await world.client.run(SignUpDocument, { input: { email: uniqueEmail("ws-hash"), password: PASSWORD, name: "Hash" } })).signUp.accessToken;
    const staff = ok(await world.client.run(SignInDocument, { input: { email: "staff@watchflixx.dev", password: DEMO_PASSWORD } })).signIn.accessToken;
    const ticket = ok(await world.client.run(OpenSupportTicketDocument, { input: { subject: "Hashes", message: "Does it work?" } }, user)).openSupportTicket;
    const stream = subscribeRaw(user, { query: "", operationName: "NotificationAdded", extensions: persisted(idOf("NotificationAdded")) });
    // The subscription is live some moments after it is sent: reply until a notification arrives.
    for (let attempt = 0; attempt < 30 && stream.results.length === 0 && stream.errors.length === 0; attempt += 1) {
      ok(await world.client.run(RespondToSupportTicketDocument, { ticketId: ticket.id, body: `Yes (${attempt}).` }, staff));
      for (let wait = 0; wait < 20 && stream.results.length === 0 && stream.errors.length === 0; wait += 1) await new Promise((r) => setTimeout(r, 50));
    }
    expect(stream.errors).toEqual([]);
    const event = stream.results[0];
    expect(event?.errors).toBeUndefined();
    expect(event?.data).toEqual({ notificationAdded: expect.objectContaining({ type: "SUPPORT_REPLY", body: expect.stringMatching(/^Yes \(\d+\)\.$/) }) });
    // The typed document is the one the hash names.
    expect(idOf("NotificationAdded")).toBe(sha256(print(NotificationAddedDocument)));
  });
});
