// Rate limits as an attacker meets them: real concurrent requests through the real gateway (two of them, on one
// Redis), client addresses given the way a trusted proxy gives them (X-Forwarded-For, TRUSTED_PROXY_HOPS=1),
// and identity headers captured between the gateway and the auth subgraph, replayed.
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { mapSubgraphDefinition } from "@watchflixx/common";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { codeOf, createClient, startSupergraph, type GraphQLResult, type RunningSupergraph } from "@watchflixx/testing";
import { authSubgraph } from "../src/index.ts";

const SIGN_UP = `mutation ($input: SignUpInput!) { signUp(input: $input) { accessToken user { id } } }`;
const SIGN_IN = `mutation ($input: SignInInput!) { signIn(input: $input) { accessToken user { id } } }`;
const START_PAIRING = `mutation ($deviceName: String!) { startDevicePairing(deviceName: $deviceName) { pairingCode } }`;
const COMPLETE_PAIRING = `mutation ($pairingCode: String!) { completeDevicePairing(pairingCode: $pairingCode) { accessToken } }`;

const codes = (results: GraphQLResult[]) => {
  const counts: Record<string, number> = {};
  for (const result of results) {
    const key = String(codeOf(result) ?? "OK");
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
};

/** A fresh address for each scenario: counts never leak from one test to the next. */
let addresses = 0;
const newAddress = () => `198.51.100.${(addresses += 1)}`;

interface Captured {
  headers: IncomingMessage["headers"];
  body: Buffer;
}

/** The auth subgraph, recording what the gateway sends it (what someone on that network path would see). */
function recordingAuth(captured: Captured[]) {
  return mapSubgraphDefinition(authSubgraph, (definition) => ({
    ...definition,
    onGraphQLRequest({ headers, rawBody }) {
      if (rawBody) captured.push({ headers: { ...headers }, body: rawBody });
    },
  }));
}

describe("rate limits and signed identities, through two gateways sharing one Redis", () => {
  let database: TestDatabase;
  let supergraph: RunningSupergraph;
  const captured: Captured[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    supergraph = await startSupergraph({
      db: database.db,
      subgraphs: [recordingAuth(captured)],
      extraGateways: 1,
      config: {
        TRUSTED_PROXY_HOPS: 1,
        // Dozens of password checks (scrypt) land at once: on a busy 2-core machine they may take longer than
        // the gateway's default 5 s, which would answer SERVICE_UNAVAILABLE. Rate limits are tested here.
        SUBGRAPH_TIMEOUT_MS: 60_000,
        // Lowered where a test needs to reach a limit in a few requests; the rest keep their defaults
        // (sign-in-email-address: 10 per 15 minutes).
        RATE_LIMITS: {
          "gateway-address": { points: 100, seconds: 60 },
          "sign-in-address": { points: 40, seconds: 600 },
          "sign-in-email": { points: 25, seconds: 900 },
          "sign-up-address": { points: 5, seconds: 3600 },
          "pairing-address": { points: 3, seconds: 600 },
          "pairing-code": { points: 4, seconds: 600 },
        },
      },
    });
  });
  afterAll(async () => {
    await supergraph?.stop();
    await database?.drop();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const from = (address: string) => ({ headers: { "x-forwarded-for": address } });
  const signUp = async (address: string, password = "the owner's password") => {
    const email = `owner-${randomUUID()}@example.com`;
    const result = await supergraph.gql(SIGN_UP, { input: { email, password, name: "Owner" } }, from(address));
    expect(result.errors).toBeUndefined();
    return email;
  };
  const signIn = (email: string, password: string, address: string) => supergraph.gql(SIGN_IN, { input: { email, password } }, from(address));

  it("checks at most 10 of 60 concurrent wrong passwords for one email, and the owner still signs in from elsewhere", async () => {
    const email = await signUp(newAddress());
    const attacker = newAddress();
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => signIn(email, `guess ${i}`, attacker)));
    // Exactly the limit reached the password check (UNAUTHENTICATED); the rest were refused before it.
    expect(codes(results)).toEqual({ UNAUTHENTICATED: 10, RATE_LIMITED: 50 });
    const refused = results.find((result) => codeOf(result) === "RATE_LIMITED");
    expect(refused?.errors?.[0]?.message).toMatch(/^Too many sign-in attempts\. Try again in \d+ minutes\.$/);
    expect(refused?.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(14 * 60);

    // Even the right password is refused from the guesser's address...
    expect(codeOf(await signIn(email, "the owner's password", attacker))).toBe("RATE_LIMITED");
    // ...but not from the owner's own.
    const owner = await signIn(email, "the owner's password", newAddress());
    expect(owner.errors).toBeUndefined();
    expect(owner.data.signIn.accessToken).toEqual(expect.any(String));
  });

  it("stops guessing spread over many addresses at the email's ceiling, without locking the owner out of an address they use", async () => {
    const home = newAddress();
    const email = await signUp(home);
    expect((await signIn(email, "the owner's password", home)).errors).toBeUndefined();

    const crowd = [newAddress(), newAddress(), newAddress()];
    const results = await Promise.all(crowd.flatMap((address) => Array.from({ length: 10 }, (_, i) => signIn(email, `guess ${i}`, address))));
    // 30 guesses from 3 addresses, each under its own limit of 10: the email's ceiling (25 here) stops the rest.
    expect(codes(results)).toEqual({ UNAUTHENTICATED: 25, RATE_LIMITED: 5 });

    // A new address, even with the right password, waits for the window; home, where the owner signed in, does not.
    expect(codeOf(await signIn(email, "the owner's password", newAddress()))).toBe("RATE_LIMITED");
    expect((await signIn(email, "the owner's password", home)).errors).toBeUndefined();
  });

  it("limits sign-ins across many emails from one address", async () => {
    const stuffer = newAddress();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => signIn(`victim-${i}-${randomUUID()}@example.com`, "password123", stuffer)),
    );
    expect(codes(results)).toEqual({ UNAUTHENTICATED: 40, RATE_LIMITED: 10 });
    // Another address is served meanwhile.
    expect(codeOf(await signIn(`someone-${randomUUID()}@example.com`, "password123", newAddress()))).toBe("UNAUTHENTICATED");
  });

  it("limits sign-ups from one address, creating no account for the refused ones", async () => {
    const farm = newAddress();
    const emails = Array.from({ length: 8 }, () => `farmed-${randomUUID()}@example.com`);
    const results = await Promise.all(
      emails.map((email) => supergraph.gql(SIGN_UP, { input: { email, password: "long enough pw", name: "Bot" } }, from(farm))),
    );
    expect(codes(results)).toEqual({ OK: 5, RATE_LIMITED: 3 });
    expect(await database.db.user.count({ where: { email: { in: emails } } })).toBe(5);
    expect(codeOf(await supergraph.gql(SIGN_UP, { input: { email: `real-${randomUUID()}@example.com`, password: "long enough pw", name: "Real" } }, from(newAddress())))).toBeUndefined();
  });

  it("limits guessed pairing codes per address, never a TV polling its own code from there, and attempts per code", async () => {
    const tv = newAddress();
    const pairing = await supergraph.gql(START_PAIRING, { deviceName: "Living room" }, from(tv));
    const own = pairing.data.startDevicePairing.pairingCode as string;
    // The TV polls its own code (not approved yet) more often than the address limit: never refused for it.
    const polls = [];
    for (let i = 0; i < 4; i += 1) polls.push(await supergraph.gql(COMPLETE_PAIRING, { pairingCode: own }, from(tv)));
    expect(codes(polls)).toEqual({ FORBIDDEN: 4 });
    // The code's own limit (4 here) is then used up, for every address.
    expect(codeOf(await supergraph.gql(COMPLETE_PAIRING, { pairingCode: own }, from(newAddress())))).toBe("RATE_LIMITED");

    const guesser = newAddress();
    const guesses = await Promise.all(
      Array.from({ length: 6 }, (_, i) => supergraph.gql(COMPLETE_PAIRING, { pairingCode: `ZZZZZZZ${"ABCDEF"[i]}` }, from(guesser))),
    );
    expect(codes(guesses)).toEqual({ NOT_FOUND: 3, RATE_LIMITED: 3 });
  });

  it("adds up one address's requests across both gateways", async () => {
    const [first, second] = supergraph.gateways.map((gateway) => createClient(gateway.url));
    if (!first || !second) throw new Error("two gateways expected");
    const address = newAddress();
    const results = await Promise.all(
      Array.from({ length: 120 }, (_, i) => (i % 2 === 0 ? first : second).request("{ __typename }", undefined, from(address))),
    );
    expect(codes(results)).toEqual({ OK: 100, RATE_LIMITED: 20 });
    const refused = results.find((result) => codeOf(result) === "RATE_LIMITED");
    expect(refused?.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused?.errors?.[0]?.extensions?.retryAfterSeconds).toBeLessThanOrEqual(60);
    // As HTTP: 200 with the GraphQL error (what Apollo Client hands to onError), and Retry-After for proxies and scripts.
    const response = await fetch(first.url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": address },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(response.status).toBe(200);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(((await response.json()) as GraphQLResult).errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
    // Another client is served by either gateway.
    expect((await second.request("{ __typename }", undefined, from(newAddress()))).data).toEqual({ __typename: "Query" });
  });

  it("refuses identity headers captured on their way to the subgraph when replayed with another body or after 30 seconds", async () => {
    const email = await signUp(newAddress());
    const session = await signIn(email, "the owner's password", newAddress());
    const token = session.data.signIn.accessToken as string;
    captured.length = 0;
    const me = await supergraph.gql("{ me { id email } }", undefined, { token });
    expect(me.data.me.email).toBe(email);
    const request = captured.find((entry) => entry.headers["x-watchflixx-user-id"] === me.data.me.id);
    if (!request) throw new Error("the gateway's request to auth was not captured");

    const replay = async (body: string | Buffer) => {
      const headers = Object.fromEntries(
        Object.entries(request.headers).filter(([name]) => name.startsWith("x-watchflixx-") || name === "content-type"),
      ) as Record<string, string>;
      const response = await fetch(supergraph.subgraphs.auth?.url ?? "", { method: "POST", headers, body });
      return (await response.json()) as GraphQLResult;
    };
    // The very request, again within its 30 s: answered (the same question, nothing new gained).
    expect((await replay(request.body)).data?.me?.email).toBe(email);
    // The headers with another body: anonymous.
    const other = await replay(JSON.stringify({ query: "{ me { id email devices { id name } } }" }));
    expect(codeOf(other)).toBe("UNAUTHENTICATED");
    // The very request, 31 s later: too old.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 31_000 });
    expect(codeOf(await replay(request.body))).toBe("UNAUTHENTICATED");
  });
});
