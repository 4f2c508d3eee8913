// Billing through the real gateway, composed from the auth, content, streaming and payment subgraphs, with the
// client contract's own operations (web/billing.graphql, `me.subscription` of web/auth.graphql, `rentalPrice`
// of web/catalog.graphql) and access tokens as clients get them from SignIn/SignUp.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { contractOperation, type GraphQLResult, type RunningSupergraph, startSupergraph } from "@watchflixx/testing";
import { createAuthSubgraph } from "@watchflixx/auth";
import { createContentSubgraph } from "@watchflixx/content";
import { createStreamingSubgraph } from "@watchflixx/streaming";
import { createPaymentSubgraph, parsePaymentConfig } from "../src/index.ts";
import { DAY_MS } from "./support.ts";

const billing = (name: string) => contractOperation("web/billing.graphql", name);
const auth = (name: string) => contractOperation("web/auth.graphql", name);
const code = (result: GraphQLResult) => result.errors?.[0]?.extensions?.code;
const HOUR_MS = 60 * 60 * 1000;

describe("billing through the gateway, with the contract's operations", () => {
  let database: TestDatabase;
  let supergraph: RunningSupergraph;
  let signUps = 0;

  beforeAll(async () => {
    database = await createTestDatabase({ seeded: true });
    supergraph = await startSupergraph({
      db: database.db,
      subgraphs: [
        await createAuthSubgraph(),
        await createContentSubgraph(),
        await createStreamingSubgraph(),
        await createPaymentSubgraph({ config: parsePaymentConfig({ NODE_ENV: "test", LOG_LEVEL: "error" }) }),
      ],
    });
  });
  afterAll(async () => {
    await supergraph?.stop();
    await database?.drop();
  });

  async function signIn(email: string): Promise<string> {
    const result = await supergraph.gql(auth("SignIn"), { input: { email, password: "watchflixx-demo" } });
    expect(result.errors).toBeUndefined();
    return result.data.signIn.accessToken;
  }

  async function signUp(): Promise<{ token: string; userId: string }> {
    signUps += 1;
    const input = { email: `billing.gateway${signUps}@example.com`, password: "a long enough password", name: `Billing ${signUps}` };
    const result = await supergraph.gql(auth("SignUp"), { input });
    expect(result.errors).toBeUndefined();
    return { token: result.data.signUp.accessToken, userId: result.data.signUp.user.id };
  }

  async function me(token: string) {
    const result = await supergraph.gql(auth("Me"), {}, { token });
    expect(result.errors).toBeUndefined();
    return result.data.me;
  }

  it("lists the plans", async () => {
    const result = await supergraph.gql(billing("Plans"));
    expect(result.errors).toBeUndefined();
    expect(result.data.plans).toEqual([
      expect.objectContaining({ name: "Basic", priceCents: 799, currency: "USD", interval: "MONTH", maxStreams: 1, maxQuality: "SD" }),
      expect.objectContaining({ name: "Standard", priceCents: 1299, maxStreams: 2, maxQuality: "HD" }),
      expect.objectContaining({ name: "Premium", priceCents: 1799, maxStreams: 4, maxQuality: "UHD" }),
    ]);
  });

  it("shows the seeded subscription on me.subscription", async () => {
    const alice = await me(await signIn("alice@watchflixx.dev"));
    expect(alice.subscription).toMatchObject({
      status: "ACTIVE",
      plan: { name: "Standard", maxStreams: 2, priceCents: 1299, currency: "USD" },
    });
    expect(Date.parse(alice.subscription.currentPeriodEnd)).toBeGreaterThan(Date.now());
  });

  it("subscribes (ACTIVE at once, no client secret), shows it on me, and cancels at the period end", async () => {
    const token = await signIn("bob@watchflixx.dev");
    expect((await me(token)).subscription).toBeNull();
    const plans = (await supergraph.gql(billing("Plans"))).data.plans as { id: string; name: string }[];
    const basic = plans.find((plan) => plan.name === "Basic");

    expect(code(await supergraph.gql(billing("Subscribe"), { input: { planId: basic?.id } }))).toBe("UNAUTHENTICATED");
    const subscribed = await supergraph.gql(billing("Subscribe"), { input: { planId: basic?.id } }, { token });
    expect(subscribed.errors).toBeUndefined();
    expect(subscribed.data.subscribe).toMatchObject({ status: "ACTIVE", plan: { id: basic?.id, name: "Basic" }, clientSecret: null });
    expect(code(await supergraph.gql(billing("Subscribe"), { input: { planId: basic?.id } }, { token }))).toBe("CONFLICT");

    const bob = await me(token);
    expect(bob.subscription).toMatchObject({ id: subscribed.data.subscribe.id, status: "ACTIVE", plan: { name: "Basic", maxStreams: 1 } });

    const canceled = await supergraph.gql(billing("CancelSubscription"), {}, { token });
    expect(canceled.errors).toBeUndefined();
    expect(canceled.data.cancelSubscription).toEqual({ id: subscribed.data.subscribe.id, status: "ACTIVE", cancelAtPeriodEnd: true });
    expect((await me(token)).subscription.status).toBe("ACTIVE");
  });

  it("rents a title (PENDING, 30 days), lists it in BillingHistory, and the first play starts its 48 hours", async () => {
    const { token, userId } = await signUp();
    const film = await database.db.content.findFirstOrThrow({
      where: { type: "MOVIE", rentalPriceCents: { not: null }, publishedAt: { not: null }, maturityRating: "PG" },
      select: { id: true, title: true, rentalPriceCents: true },
    });
    const other = await database.db.content.findFirstOrThrow({
      where: { type: "MOVIE", publishedAt: { not: null }, maturityRating: "PG", id: { not: film.id } },
      select: { id: true },
    });

    const rented = await supergraph.gql(billing("RentContent"), { contentId: film.id }, { token });
    expect(rented.errors).toBeUndefined();
    const rental = rented.data.rentContent;
    expect(rental).toMatchObject({ status: "PENDING", content: { id: film.id, title: film.title }, clientSecret: null });
    expect(Math.abs(Date.parse(rental.expiresAt) - (Date.now() + 30 * DAY_MS))).toBeLessThan(HOUR_MS);

    const history = await supergraph.gql(billing("BillingHistory"), {}, { token });
    expect(history.errors).toBeUndefined();
    expect(history.data.me).toEqual({
      id: userId,
      invoices: [expect.objectContaining({ amountCents: film.rentalPriceCents, currency: "USD", status: "PAID" })],
      rentals: [{ id: rental.id, expiresAt: rental.expiresAt, content: { id: film.id, title: film.title } }],
    });

    // Playback (streaming) accepts the rental and starts its 48-hour window; an unrented title needs paying for.
    const profile = await supergraph.gql(auth("CreateProfile"), { input: { name: "Viewer" } }, { token });
    expect(profile.errors).toBeUndefined();
    const profileId: string = profile.data.createProfile.id;
    const play = contractOperation("web/playback.graphql", "StartPlayback");
    const started = await supergraph.gql(play, { input: { profileId, contentId: film.id } }, { token });
    expect(started.errors).toBeUndefined();
    const after = (await supergraph.gql(billing("BillingHistory"), {}, { token })).data.me.rentals[0];
    expect(Math.abs(Date.parse(after.expiresAt) - (Date.now() + 48 * HOUR_MS))).toBeLessThan(HOUR_MS);
    expect(code(await supergraph.gql(play, { input: { profileId, contentId: other.id } }, { token }))).toBe("PAYMENT_REQUIRED");

    expect(code(await supergraph.gql(billing("RentContent"), { contentId: film.id }, { token }))).toBe("CONFLICT");
    expect(code(await supergraph.gql(billing("RentContent"), { contentId: "no-such-title" }, { token }))).toBe("NOT_FOUND");
  });

  it("prices titles on Content.rentalPrice (ContentDetails), null when not for rent", async () => {
    const rentable = await database.db.content.findFirstOrThrow({
      where: { rentalPriceCents: { not: null }, publishedAt: { not: null } },
      select: { id: true, rentalPriceCents: true },
    });
    const notRentable = await database.db.content.findFirstOrThrow({ where: { rentalPriceCents: null, publishedAt: { not: null } }, select: { id: true } });
    const query = contractOperation("web/catalog.graphql", "ContentDetails");
    const priced = await supergraph.gql(query, { id: rentable.id });
    expect(priced.errors).toBeUndefined();
    expect(priced.data.content.rentalPrice).toEqual({ amountCents: rentable.rentalPriceCents, currency: "USD" });
    expect((await supergraph.gql(query, { id: notRentable.id })).data.content.rentalPrice).toBeNull();
  });
});
