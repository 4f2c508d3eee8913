// Billing through the real gateway, composed from the auth, content, streaming and payment subgraphs, with the
// client contract's own operations (web/billing.graphql, `me.subscription` of web/auth.graphql, `rentalPrice`
// of web/catalog.graphql) sent as their typed documents from @watchflixx/clients, and access tokens as clients
// get them from SignIn/SignUp.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BillingHistoryDocument,
  CancelSubscriptionDocument,
  ContentDetailsDocument,
  CreateProfileDocument,
  MeDocument,
  PlansDocument,
  RentContentDocument,
  SignUpDocument,
  StartPlaybackDocument,
  SubscribeDocument,
} from "@watchflixx/clients";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { codeOf, signIn, type GraphQLResult, type RunningSupergraph, startSupergraph } from "@watchflixx/testing";
import { authSubgraph } from "@watchflixx/auth";
import { contentSubgraph } from "@watchflixx/content";
import { streamingSubgraph } from "@watchflixx/streaming";
import { paymentSubgraph } from "../src/index.ts";
import { DAY_MS } from "./support.ts";

const HOUR_MS = 60 * 60 * 1000;

/** The data of a result that must have no errors. */
function ok<TData>(result: GraphQLResult<TData>): TData {
  expect(result.errors).toBeUndefined();
  if (!result.data) throw new Error("the operation answered no data");
  return result.data;
}

/** A value the test goes on with: null or undefined fails the test, naming `what`. */
function must<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`${what} is missing`);
  return value;
}

describe("billing through the gateway, with the contract's operations", () => {
  let database: TestDatabase;
  let supergraph: RunningSupergraph;
  let signUps = 0;

  beforeAll(async () => {
    database = await createTestDatabase({ seeded: true });
    supergraph = await startSupergraph({
      db: database.db,
      subgraphs: [
        authSubgraph,
        contentSubgraph,
        streamingSubgraph,
        paymentSubgraph,
      ],
    });
  });
  afterAll(async () => {
    await supergraph?.stop();
    await database?.drop();
  });

  async function signUp(): Promise<{ token: string; userId: string }> {
    signUps += 1;
    const input = { email: `billing.gateway${signUps}@example.com`, password: "a long enough password", name: `Billing ${signUps}` };
    const { signUp } = ok(await supergraph.gql(SignUpDocument, { input }));
    return { token: signUp.accessToken, userId: signUp.user.id };
  }

  async function me(token: string) {
    return must(ok(await supergraph.gql(MeDocument, {}, { token })).me, "me");
  }

  it("lists the plans", async () => {
    const { plans } = ok(await supergraph.gql(PlansDocument));
    expect(plans).toEqual([
      expect.objectContaining({ name: "Basic", priceCents: 799, currency: "USD", interval: "MONTH", maxStreams: 1, maxQuality: "SD" }),
      expect.objectContaining({ name: "Standard", priceCents: 1299, maxStreams: 2, maxQuality: "HD" }),
      expect.objectContaining({ name: "Premium", priceCents: 1799, maxStreams: 4, maxQuality: "UHD" }),
    ]);
  });

  it("shows the seeded subscription on me.subscription", async () => {
    const alice = await me(await signIn(supergraph.client, "alice@watchflixx.dev"));
    expect(alice.subscription).toMatchObject({
      status: "ACTIVE",
      plan: { name: "Standard", maxStreams: 2, priceCents: 1299, currency: "USD" },
    });
    expect(Date.parse(must(alice.subscription, "alice's subscription").currentPeriodEnd)).toBeGreaterThan(Date.now());
  });

  it("subscribes (ACTIVE at once, no client secret), shows it on me, and cancels at the period end", async () => {
    const token = await signIn(supergraph.client, "bob@watchflixx.dev");
    expect((await me(token)).subscription).toBeNull();
    const { plans } = ok(await supergraph.gql(PlansDocument));
    const basic = must(plans.find((plan) => plan.name === "Basic"), "the Basic plan");

    expect(codeOf(await supergraph.gql(SubscribeDocument, { input: { planId: basic.id } }))).toBe("UNAUTHENTICATED");
    const subscribed = ok(await supergraph.gql(SubscribeDocument, { input: { planId: basic.id } }, { token })).subscribe;
    expect(subscribed).toMatchObject({ status: "ACTIVE", plan: { id: basic.id, name: "Basic" }, clientSecret: null });
    expect(codeOf(await supergraph.gql(SubscribeDocument, { input: { planId: basic.id } }, { token }))).toBe("CONFLICT");

    const bob = await me(token);
    expect(bob.subscription).toMatchObject({ id: subscribed.id, status: "ACTIVE", plan: { name: "Basic", maxStreams: 1 } });

    const canceled = ok(await supergraph.gql(CancelSubscriptionDocument, {}, { token }));
    expect(canceled.cancelSubscription).toEqual({ id: subscribed.id, status: "ACTIVE", cancelAtPeriodEnd: true });
    expect((await me(token)).subscription?.status).toBe("ACTIVE");
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

    const rental = ok(await supergraph.gql(RentContentDocument, { contentId: film.id }, { token })).rentContent;
    expect(rental).toMatchObject({ status: "PENDING", content: { id: film.id, title: film.title }, clientSecret: null });
    expect(Math.abs(Date.parse(rental.expiresAt) - (Date.now() + 30 * DAY_MS))).toBeLessThan(HOUR_MS);

    const history = ok(await supergraph.gql(BillingHistoryDocument, {}, { token }));
    expect(history.me).toEqual({
      id: userId,
      invoices: [expect.objectContaining({ amountCents: film.rentalPriceCents, currency: "USD", status: "PAID" })],
      rentals: [{ id: rental.id, expiresAt: rental.expiresAt, content: { id: film.id, title: film.title } }],
    });

    // Playback (streaming) accepts the rental, and payment's consumer starts its 48-hour window from the
    // PlaybackStarted streaming records, moments later; an unrented title needs paying for.
    const profileId = ok(await supergraph.gql(CreateProfileDocument, { input: { name: "Viewer" } }, { token })).createProfile.id;
    ok(await supergraph.gql(StartPlaybackDocument, { input: { profileId, contentId: film.id } }, { token }));
    const rentalEnd = async () => {
      const after = must(must(ok(await supergraph.gql(BillingHistoryDocument, {}, { token })).me, "me").rentals[0], "the rental");
      return Math.abs(Date.parse(after.expiresAt) - (Date.now() + 48 * HOUR_MS));
    };
    await expect.poll(rentalEnd, { timeout: 15_000 }).toBeLessThan(HOUR_MS);
    expect(codeOf(await supergraph.gql(StartPlaybackDocument, { input: { profileId, contentId: other.id } }, { token }))).toBe("PAYMENT_REQUIRED");

    expect(codeOf(await supergraph.gql(RentContentDocument, { contentId: film.id }, { token }))).toBe("CONFLICT");
    expect(codeOf(await supergraph.gql(RentContentDocument, { contentId: "no-such-title" }, { token }))).toBe("NOT_FOUND");
  });

  it("rents a title once however many rentContent calls arrive together: one rental, one PAID invoice, one event", async () => {
    const { token, userId } = await signUp();
    const film = await database.db.content.findFirstOrThrow({
      where: { rentalPriceCents: { not: null }, publishedAt: { not: null } },
      select: { id: true },
    });
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => supergraph.gql(RentContentDocument, { contentId: film.id }, { token })),
    );

    const rentals = await database.db.rental.findMany({ where: { userId, contentId: film.id } });
    expect(rentals).toHaveLength(1);
    const rentalId = must(rentals[0], "the rental").id;
    const invoices = await database.db.invoice.findMany({ where: { userId } });
    expect(invoices).toEqual([expect.objectContaining({ rentalId, status: "PAID" })]);
    expect(await database.db.serviceEvent.count({ where: { eventType: "RentalPurchased", aggregateId: rentalId } })).toBe(1);
    // Each caller gets that same rental back, or CONFLICT once it is paid ("already renting"): never another.
    for (const answer of answers) {
      if (answer.errors) expect(codeOf(answer)).toBe("CONFLICT");
      else expect(answer.data?.rentContent.id).toBe(rentalId);
    }
    expect(answers.some((answer) => !answer.errors)).toBe(true);
  });

  it("prices titles on Content.rentalPrice (ContentDetails), null when not for rent", async () => {
    const rentable = await database.db.content.findFirstOrThrow({
      where: { rentalPriceCents: { not: null }, publishedAt: { not: null } },
      select: { id: true, rentalPriceCents: true },
    });
    const notRentable = await database.db.content.findFirstOrThrow({ where: { rentalPriceCents: null, publishedAt: { not: null } }, select: { id: true } });
    const priced = must(ok(await supergraph.gql(ContentDetailsDocument, { id: rentable.id })).content, "the rentable title");
    expect(priced.rentalPrice).toEqual({ amountCents: rentable.rentalPriceCents, currency: "USD" });
    expect(must(ok(await supergraph.gql(ContentDetailsDocument, { id: notRentable.id })).content, "the title").rentalPrice).toBeNull();
  });
});
