// The default, key-less provider end to end against the subgraph: plans, subscribing, canceling at period end,
// renting, what the caller (and only the caller) sees, and the local provider's period-end settlement.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { codeOf } from "@watchflixx/testing";
import { settleLocalSubscriptions } from "../src/index.ts";
import { BILLING_OF_USER, createUser, DAY_MS, eventsOfType, startPayment, viewer, type PaymentHarness } from "./support.ts";

const PLANS = `query Plans { plans { id name priceCents currency interval maxStreams maxQuality } }`;
const SUBSCRIBE = `
  mutation Subscribe($input: SubscribeInput!) {
    subscribe(input: $input) { id status plan { id name } currentPeriodEnd clientSecret cancelAtPeriodEnd trialEnd }
  }`;
const CANCEL = `mutation CancelSubscription { cancelSubscription { id status cancelAtPeriodEnd currentPeriodEnd } }`;
const RENT = `
  mutation RentContent($contentId: ID!) {
    rentContent(contentId: $contentId) { id status expiresAt purchasedAt content { id } clientSecret price { amountCents currency } }
  }`;

describe("payment subgraph with the local provider", () => {
  let database: TestDatabase;
  let api: PaymentHarness;
  let plans: { id: string; name: string; priceCents: number }[];

  beforeAll(async () => {
    database = await createTestDatabase({ seeded: true });
    api = await startPayment(database.db);
    expect(api.deps.config.PAYMENT_PROVIDER).toBe("local");
  });
  afterAll(async () => {
    await api?.stop();
    await database?.drop();
  });

  const planNamed = (name: string) => {
    const plan = plans.find((p) => p.name === name);
    if (!plan) throw new Error(`no plan ${name}`);
    return plan;
  };

  it("lists the three seeded plans, cheapest first, to anyone", async () => {
    const result = await api.gql(PLANS);
    expect(result.errors).toBeUndefined();
    plans = result.data.plans;
    expect(plans.map((p) => p.name)).toEqual(["Basic", "Standard", "Premium"]);
    expect(result.data.plans[0]).toMatchObject({ priceCents: 799, currency: "USD", interval: "MONTH", maxStreams: 1, maxQuality: "SD" });
    expect(result.data.plans[2]).toMatchObject({ maxStreams: 4, maxQuality: "UHD" });
  });

  it("asks for a signed-in caller to subscribe, cancel or rent", async () => {
    expect(codeOf(await api.gql(SUBSCRIBE, { input: { planId: planNamed("Basic").id } }))).toBe("UNAUTHENTICATED");
    expect(codeOf(await api.gql(CANCEL))).toBe("UNAUTHENTICATED");
    expect(codeOf(await api.gql(RENT, { contentId: "anything" }))).toBe("UNAUTHENTICATED");
  });

  it("subscribes at once: ACTIVE, a month paid, no client secret, a PAID invoice and a SubscriptionActivated event", async () => {
    const user = await createUser(database.db);
    const before = Date.now();
    const result = await api.gql(SUBSCRIBE, { input: { planId: planNamed("Standard").id, paymentMethodId: "pm_card_visa" } }, viewer(user.id));
    expect(result.errors).toBeUndefined();
    const subscription = result.data.subscribe;
    expect(subscription).toMatchObject({ status: "ACTIVE", plan: { name: "Standard" }, clientSecret: null, cancelAtPeriodEnd: false });
    const periodDays = (Date.parse(subscription.currentPeriodEnd) - before) / DAY_MS;
    expect(periodDays).toBeGreaterThanOrEqual(27.9);
    expect(periodDays).toBeLessThanOrEqual(31.1);

    const billing = (await api.gql(BILLING_OF_USER, { id: user.id }, viewer(user.id))).data._entities[0];
    expect(billing.subscription).toMatchObject({
      id: subscription.id,
      status: "ACTIVE",
      plan: { name: "Standard", maxStreams: 2, priceCents: 1299, currency: "USD" },
    });
    expect(billing.invoices).toEqual([expect.objectContaining({ amountCents: 1299, currency: "USD", status: "PAID" })]);

    const activated = await eventsOfType(database.db, "SubscriptionActivated", subscription.id);
    expect(activated).toHaveLength(1);
    expect(activated[0]?.payload).toMatchObject({ userId: user.id, subscriptionId: subscription.id, status: "ACTIVE" });
  });

  it("keeps one live subscription per account (CONFLICT), including the seeded one", async () => {
    const user = await createUser(database.db);
    expect((await api.gql(SUBSCRIBE, { input: { planId: planNamed("Basic").id } }, viewer(user.id))).errors).toBeUndefined();
    expect(codeOf(await api.gql(SUBSCRIBE, { input: { planId: planNamed("Basic").id } }, viewer(user.id)))).toBe("CONFLICT");
    expect(codeOf(await api.gql(SUBSCRIBE, { input: { planId: planNamed("Premium").id } }, viewer(user.id)))).toBe("CONFLICT");
    const alice = await database.db.user.findUniqueOrThrow({ where: { email: "alice@watchflixx.dev" } });
    expect(codeOf(await api.gql(SUBSCRIBE, { input: { planId: planNamed("Premium").id } }, viewer(alice.id)))).toBe("CONFLICT");
    expect(await database.db.subscription.count({ where: { userId: user.id } })).toBe(1);
  });

  it("answers concurrent subscribes of one account (a double-clicked button) with one subscription, billed once", async () => {
    const user = await createUser(database.db);
    const results = await Promise.all(
      [0, 1, 2].map(() => api.gql(SUBSCRIBE, { input: { planId: planNamed("Basic").id } }, viewer(user.id))),
    );
    // Each gets the one subscription (an in-flight checkout is resumed) or, once it is recorded, CONFLICT.
    const ids = new Set(results.filter((r) => !r.errors).map((r) => r.data.subscribe.id as string));
    expect(ids.size).toBe(1);
    for (const result of results.filter((r) => r.errors)) expect(codeOf(result)).toBe("CONFLICT");
    const [subscriptionId] = [...ids];
    expect(await database.db.subscription.count({ where: { userId: user.id } })).toBe(1);
    expect(await database.db.invoice.count({ where: { userId: user.id } })).toBe(1);
    expect(await eventsOfType(database.db, "SubscriptionActivated", subscriptionId)).toHaveLength(1);
  });

  it("refuses an unknown plan with NOT_FOUND", async () => {
    const user = await createUser(database.db);
    expect(codeOf(await api.gql(SUBSCRIBE, { input: { planId: "no-such-plan" } }, viewer(user.id)))).toBe("NOT_FOUND");
  });

  it("starts a plan with a trial as TRIALING until the trial ends", async () => {
    const trialPlan = await database.db.plan.create({
      data: { code: "trial-test", name: "Trial Test", priceCents: 999, currency: "USD", interval: "MONTH", maxStreams: 1, maxQuality: "SD", trialDays: 7 },
    });
    const user = await createUser(database.db);
    const result = await api.gql(SUBSCRIBE, { input: { planId: trialPlan.id } }, viewer(user.id));
    expect(result.data.subscribe.status).toBe("TRIALING");
    expect(Date.parse(result.data.subscribe.trialEnd) - Date.now()).toBeGreaterThan(6.9 * DAY_MS);
    await database.db.plan.update({ where: { id: trialPlan.id }, data: { active: false } });
  });

  it("cancels at the period end: still ACTIVE until then, then CANCELED and gone from User.subscription", async () => {
    const user = await createUser(database.db);
    const subscribed = (await api.gql(SUBSCRIBE, { input: { planId: planNamed("Basic").id } }, viewer(user.id))).data.subscribe;

    const canceled = await api.gql(CANCEL, {}, viewer(user.id));
    expect(canceled.errors).toBeUndefined();
    expect(canceled.data.cancelSubscription).toMatchObject({ id: subscribed.id, status: "ACTIVE", cancelAtPeriodEnd: true });
    // Canceling again changes nothing and announces nothing new.
    expect((await api.gql(CANCEL, {}, viewer(user.id))).data.cancelSubscription.cancelAtPeriodEnd).toBe(true);
    const announced = await eventsOfType(database.db, "SubscriptionCanceled", subscribed.id);
    expect(announced).toHaveLength(1);
    expect(announced[0]?.payload).toMatchObject({ userId: user.id, cancelAtPeriodEnd: true, endsAt: subscribed.currentPeriodEnd });

    const stillThere = (await api.gql(BILLING_OF_USER, { id: user.id }, viewer(user.id))).data._entities[0];
    expect(stillThere.subscription).toMatchObject({ id: subscribed.id, status: "ACTIVE", cancelAtPeriodEnd: true });

    await settleLocalSubscriptions(database.db, new Date(Date.parse(subscribed.currentPeriodEnd) + 1000));
    const after = (await api.gql(BILLING_OF_USER, { id: user.id }, viewer(user.id))).data._entities[0];
    expect(after.subscription).toBeNull();
    expect(await database.db.subscription.findUniqueOrThrow({ where: { id: subscribed.id } })).toMatchObject({ status: "CANCELED" });
    expect(await eventsOfType(database.db, "SubscriptionCanceled", subscribed.id)).toHaveLength(1);

    // With the old one over, the account may subscribe again.
    expect((await api.gql(SUBSCRIBE, { input: { planId: planNamed("Premium").id } }, viewer(user.id))).data.subscribe.status).toBe("ACTIVE");
  });

  it("answers NOT_FOUND when there is nothing to cancel", async () => {
    const user = await createUser(database.db);
    expect(codeOf(await api.gql(CANCEL, {}, viewer(user.id)))).toBe("NOT_FOUND");
  });

  it("renews a local subscription at the period end: new period, a PAID invoice, SubscriptionRenewed", async () => {
    const user = await createUser(database.db);
    const subscribed = (await api.gql(SUBSCRIBE, { input: { planId: planNamed("Standard").id } }, viewer(user.id))).data.subscribe;
    const settledAt = new Date(Date.parse(subscribed.currentPeriodEnd) + 1000);
    await settleLocalSubscriptions(database.db, settledAt);
    await settleLocalSubscriptions(database.db, settledAt); // a second run finds nothing due

    const billing = (await api.gql(BILLING_OF_USER, { id: user.id }, viewer(user.id))).data._entities[0];
    expect(billing.subscription.status).toBe("ACTIVE");
    expect(Date.parse(billing.subscription.currentPeriodEnd)).toBeGreaterThan(settledAt.getTime() + 27 * DAY_MS);
    expect(billing.invoices).toHaveLength(2);
    expect(billing.invoices.every((invoice: { status: string }) => invoice.status === "PAID")).toBe(true);
    const renewed = await eventsOfType(database.db, "SubscriptionRenewed", subscribed.id);
    expect(renewed).toHaveLength(1);
    expect(renewed[0]?.payload).toMatchObject({ userId: user.id, amountCents: 1299, currency: "USD", planName: "Standard" });
  });

  describe("rentals", () => {
    let rentable: { id: string; rentalPriceCents: number | null; rentalCurrency: string | null };
    let notRentable: { id: string };

    beforeAll(async () => {
      rentable = await database.db.content.findFirstOrThrow({
        where: { rentalPriceCents: { not: null }, publishedAt: { not: null } },
        select: { id: true, rentalPriceCents: true, rentalCurrency: true },
      });
      notRentable = await database.db.content.findFirstOrThrow({ where: { rentalPriceCents: null, publishedAt: { not: null } }, select: { id: true } });
    });

    it("rents a title: PENDING, 30 days to start, a PAID invoice and a RentalPurchased event", async () => {
      const user = await createUser(database.db);
      const result = await api.gql(RENT, { contentId: rentable.id }, viewer(user.id));
      expect(result.errors).toBeUndefined();
      const rental = result.data.rentContent;
      expect(rental).toMatchObject({
        status: "PENDING",
        content: { id: rentable.id },
        clientSecret: null,
        price: { amountCents: rentable.rentalPriceCents, currency: "USD" },
      });
      const window = Date.parse(rental.expiresAt) - Date.parse(rental.purchasedAt);
      expect(window).toBe(30 * DAY_MS);
      expect(Math.abs(Date.parse(rental.purchasedAt) - Date.now())).toBeLessThan(DAY_MS);

      const billing = (await api.gql(BILLING_OF_USER, { id: user.id }, viewer(user.id))).data._entities[0];
      expect(billing.rentals).toEqual([expect.objectContaining({ id: rental.id, status: "PENDING", content: { id: rentable.id } })]);
      expect(billing.invoices).toEqual([expect.objectContaining({ amountCents: rentable.rentalPriceCents, status: "PAID" })]);
      const purchased = await eventsOfType(database.db, "RentalPurchased", rental.id);
      expect(purchased).toHaveLength(1);
      expect(purchased[0]?.payload).toMatchObject({ userId: user.id, contentId: rentable.id });

      expect(codeOf(await api.gql(RENT, { contentId: rentable.id }, viewer(user.id)))).toBe("CONFLICT");
    });

    it("refuses an unknown title (NOT_FOUND) and one that is not for rent (BAD_USER_INPUT)", async () => {
      const user = await createUser(database.db);
      expect(codeOf(await api.gql(RENT, { contentId: "no-such-title" }, viewer(user.id)))).toBe("NOT_FOUND");
      expect(codeOf(await api.gql(RENT, { contentId: notRentable.id }, viewer(user.id)))).toBe("BAD_USER_INPUT");
      expect(await database.db.rental.count({ where: { userId: user.id } })).toBe(0);
    });

    it("reads a rental whose expiresAt has passed as EXPIRED, and lets the title be rented again", async () => {
      const user = await createUser(database.db);
      const rental = (await api.gql(RENT, { contentId: rentable.id }, viewer(user.id))).data.rentContent;
      await database.db.rental.update({ where: { id: rental.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
      const billing = (await api.gql(BILLING_OF_USER, { id: user.id }, viewer(user.id))).data._entities[0];
      expect(billing.rentals[0]).toMatchObject({ id: rental.id, status: "EXPIRED" });
      expect((await api.gql(RENT, { contentId: rentable.id }, viewer(user.id))).data.rentContent.status).toBe("PENDING");
    });

    it("prices titles on Content.rentalPrice (null when not for rent)", async () => {
      const result = await api.gql(
        `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Content { id rentalPrice { amountCents currency } } } }`,
        { r: [{ __typename: "Content", id: rentable.id }, { __typename: "Content", id: notRentable.id }] },
      );
      expect(result.errors).toBeUndefined();
      expect(result.data._entities).toEqual([
        { id: rentable.id, rentalPrice: { amountCents: rentable.rentalPriceCents, currency: rentable.rentalCurrency } },
        { id: notRentable.id, rentalPrice: null },
      ]);
    });
  });

  it("shows billing to its owner only: another account's reads as none", async () => {
    const owner = await createUser(database.db);
    const stranger = await createUser(database.db);
    const subscribed = (await api.gql(SUBSCRIBE, { input: { planId: planNamed("Basic").id } }, viewer(owner.id))).data.subscribe;

    const peek = (await api.gql(BILLING_OF_USER, { id: owner.id }, viewer(stranger.id))).data._entities[0];
    expect(peek).toEqual({ subscription: null, invoices: [], rentals: [] });
    const anonymous = (await api.gql(BILLING_OF_USER, { id: owner.id })).data._entities[0];
    expect(anonymous).toEqual({ subscription: null, invoices: [], rentals: [] });
    const byReference = await api.gql(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on BillingSubscription { id status } } }`,
      { r: [{ __typename: "BillingSubscription", id: subscribed.id }] },
      viewer(stranger.id),
    );
    expect(byReference.data._entities).toEqual([null]);
  });
});
