// The gateway through real HTTP, with two tiny subgraphs started by the test harness: query planning across
// subgraphs, authentication once at the gateway, signed identity, error pass-through and masking, CORS, CSRF.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { IDENTITY_HEADERS, issueAccessToken, signIdentityHeaders, type Identity } from "@watchflixx/common";
import { startSupergraph, type RunningSupergraph } from "@watchflixx/testing";
import { contentFixture, streamingFixture } from "./fixtures.ts";

const alice: Identity = { userId: "user-alice", role: "USER", deviceId: "device-tv-1" };

describe("the gateway", () => {
  let database: TestDatabase;
  let supergraph: RunningSupergraph;

  beforeAll(async () => {
    database = await createTestDatabase();
    supergraph = await startSupergraph({ db: database.db, subgraphs: [await contentFixture(), await streamingFixture()] });
  });
  afterAll(async () => {
    await supergraph?.stop();
    await database?.drop();
  });

  const subgraph = (name: string) => {
    const running = supergraph.subgraphs[name];
    if (!running) throw new Error(`no subgraph ${name}`);
    return running;
  };
  const token = (identity: Identity, now = Date.now()) => issueAccessToken(identity, supergraph.config.JWT_ACCESS_SECRET, now);

  it("plans a query across the subgraph that owns an entity and the one that extends it", async () => {
    const result = await supergraph.gql(`{ films { id title plays } film(id: "f2") { title plays } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      films: [
        { id: "f1", title: "The Gateway", plays: 42 },
        { id: "f2", title: "Federation Nights", plays: 7 },
      ],
      film: { title: "Federation Nights", plays: 7 },
    });
  });

  it("passes the caller's identity from a valid access token to every subgraph", async () => {
    const result = await supergraph.gql(`{ whoAmI { userId role deviceId } streamingWhoAmI films { id watchedBy } }`, {}, {
      token: await token(alice),
    });
    expect(result.errors).toBeUndefined();
    expect(result.data.whoAmI).toEqual({ userId: "user-alice", role: "USER", deviceId: "device-tv-1" });
    expect(result.data.streamingWhoAmI).toBe("user-alice");
    expect(result.data.films).toEqual([
      { id: "f1", watchedBy: "user-alice" },
      { id: "f2", watchedBy: "user-alice" },
    ]);
  });

  it("treats a request without a token as anonymous", async () => {
    const result = await supergraph.gql(`{ whoAmI { userId } films { title } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data.whoAmI).toBeNull();
    expect(result.data.films).toHaveLength(2);

    const me = await supergraph.gql(`{ me { userId } }`);
    expect(me.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("answers an expired token with UNAUTHENTICATED (HTTP 200, reason TOKEN_EXPIRED)", async () => {
    const expired = await token(alice, Date.now() - 60 * 60 * 1000);
    const response = await fetch(supergraph.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${expired}` },
      body: JSON.stringify({ query: "{ films { title } }" }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data?: unknown; errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(body.data).toBeUndefined();
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]?.extensions).toEqual({ code: "UNAUTHENTICATED", reason: "TOKEN_EXPIRED" });
  });

  it("answers a forged or malformed token with UNAUTHENTICATED (reason TOKEN_INVALID)", async () => {
    const forged = await issueAccessToken({ ...alice, role: "STAFF" }, "not-the-gateways-secret-at-all");
    for (const authorization of [`Bearer ${forged}`, "Bearer not-a-jwt", "Basic dXNlcjpwYXNz"]) {
      const result = await supergraph.gql("{ whoAmI { userId } }", {}, { headers: { authorization } });
      expect(result.data).toBeUndefined();
      expect(result.errors?.[0]?.extensions).toEqual({ code: "UNAUTHENTICATED", reason: "TOKEN_INVALID" });
    }
  });

  it("never forwards identity headers that the client sent itself", async () => {
    const spoofed = signIdentityHeaders({ userId: "user-mallory", role: "STAFF", deviceId: null }, "guessed-secret-guessed-secret", { body: "" });
    const unsigned = { [IDENTITY_HEADERS.userId]: "user-mallory", [IDENTITY_HEADERS.role]: "STAFF" };
    for (const headers of [spoofed, unsigned]) {
      const result = await supergraph.gql("{ whoAmI { userId } streamingWhoAmI }", {}, { headers });
      expect(result.data).toEqual({ whoAmI: null, streamingWhoAmI: null });
    }
    // With a valid token too, the caller is who the token says, whatever the headers claim.
    const result = await supergraph.gql("{ whoAmI { userId role } }", {}, { token: await token(alice), headers: unsigned });
    expect(result.data.whoAmI).toEqual({ userId: "user-alice", role: "USER" });
  });

  it("gives no identity to a request sent straight to a subgraph without the gateway's signature", async () => {
    const body = JSON.stringify({ query: "{ whoAmI { userId } }" });
    const direct = async (headers: Record<string, string>) => {
      const response = await fetch(subgraph("content").url, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
      });
      return (await response.json()) as { data: { whoAmI: { userId: string } | null } };
    };
    const unsigned = { [IDENTITY_HEADERS.userId]: "user-alice", [IDENTITY_HEADERS.role]: "USER", [IDENTITY_HEADERS.timestamp]: String(Date.now()) };
    expect((await direct(unsigned)).data.whoAmI).toBeNull();
    const wrongSecret = signIdentityHeaders(alice, "someone-elses-secret-value", { body });
    expect((await direct(wrongSecret)).data.whoAmI).toBeNull();
    // The same headers signed with the gateway's secret are believed: the signature is what counts.
    const signed = signIdentityHeaders(alice, supergraph.config.GATEWAY_SHARED_SECRET, { body });
    expect((await direct(signed)).data.whoAmI).toEqual({ userId: "user-alice" });
  });

  it("passes subgraph errors through with their code and without the subgraph's name", async () => {
    const notFound = await supergraph.gql(`{ film(id: "nope") { title plays } films { id } }`);
    expect(notFound.data).toEqual({ film: null, films: [{ id: "f1" }, { id: "f2" }] });
    expect(notFound.errors).toEqual([
      { message: "Film not found.", path: ["film"], extensions: { code: "NOT_FOUND" } },
    ]);

    const badInput = await supergraph.gql(`query Top($n: Int!) { topFilms(first: $n) { id } }`, { n: 500 });
    expect(badInput.errors?.[0]?.message).toBe("first may be at most 100.");
    expect(badInput.errors?.[0]?.extensions).toEqual({ code: "BAD_USER_INPUT", field: "first" });
  });

  it("masks internal errors: no SQL, no stack trace, no service name", async () => {
    const result = await supergraph.gql(`{ brokenQuery }`);
    expect(result.data).toBeNull();
    expect(result.errors).toEqual([
      { message: "Internal server error", path: ["brokenQuery"], extensions: { code: "INTERNAL_SERVER_ERROR" } },
    ]);
    const text = JSON.stringify(result);
    for (const leak of ["SELECT", "uuid", "stacktrace", "content", "serviceName", "DOWNSTREAM_SERVICE_ERROR"]) {
      expect(text).not.toContain(leak);
    }
  });

  it("reports the gateway's own request errors with their codes", async () => {
    const invalid = await supergraph.gql(`{ films { budget } }`);
    expect(invalid.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    const unparsable = await supergraph.gql(`{ films { `);
    expect(unparsable.errors?.[0]?.extensions?.code).toBe("GRAPHQL_PARSE_FAILED");
  });

  it("allows CORS preflights from Apollo Sandbox and refuses unknown origins", async () => {
    const preflight = (origin: string) =>
      fetch(supergraph.url, {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type,authorization",
        },
      });
    const sandbox = await preflight("https://studio.apollographql.com");
    expect(sandbox.status).toBe(204);
    expect(sandbox.headers.get("access-control-allow-origin")).toBe("https://studio.apollographql.com");
    expect(sandbox.headers.get("access-control-allow-headers")).toContain("authorization");

    const configured = await preflight("http://localhost:5173");
    expect(configured.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");

    const unknown = await preflight("https://evil.example.com");
    expect(unknown.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("refuses simple requests that would skip the CORS preflight (CSRF prevention)", async () => {
    const query = encodeURIComponent("{ films { title } }");
    const simpleGet = await fetch(`${supergraph.url}?query=${query}`);
    expect(simpleGet.status).toBe(400);
    expect(await simpleGet.text()).toContain("Cross-Site Request Forgery");

    const simplePost = await fetch(supergraph.url, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify({ query: "{ films { title } }" }),
    });
    expect(simplePost.status).toBe(400);
    expect(await simplePost.text()).toContain("Cross-Site Request Forgery");

    const withHeader = await fetch(`${supergraph.url}?query=${query}`, { headers: { "apollo-require-preflight": "true" } });
    expect(withHeader.status).toBe(200);
    expect(await withHeader.json()).toEqual({ data: { films: [{ title: "The Gateway" }, { title: "Federation Nights" }] } });
  });

  it("serves Apollo Sandbox to a browser and answers introspection in development", async () => {
    const page = await fetch(supergraph.url, { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain("sandbox");

    const introspection = await supergraph.gql(`{ __schema { queryType { name } } }`);
    expect(introspection.data).toEqual({ __schema: { queryType: { name: "Query" } } });
  });

  it("answers /health and /ready", async () => {
    const base = supergraph.url.replace(/\/graphql$/, "");
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: "ok", service: "gateway" });
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", service: "gateway" });
  });

  it("masks the failure of a subgraph that is down", async () => {
    await subgraph("streaming").stop();
    const result = await supergraph.gql(`{ films { title plays } }`);
    expect(result.errors?.[0]?.extensions).toEqual({ code: "INTERNAL_SERVER_ERROR" });
    expect(result.errors?.[0]?.message).toBe("Internal server error");
    const text = JSON.stringify(result);
    expect(text).not.toContain("127.0.0.1");
    expect(text).not.toContain("streaming");
    expect(text).not.toContain("ECONNREFUSED");
  });
});
