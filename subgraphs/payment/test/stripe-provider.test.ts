// The Stripe provider against a local stand-in for Stripe's API (fake-stripe.ts), and POST /webhooks/stripe with
// events signed as Stripe signs them: verification, once-only handling, out-of-order delivery, and the
// subscription/invoice/rental state they drive.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { codeOf } from "@watchflixx/testing";
import { FakeStripe, sendWebhook } from "./fake-stripe.ts";
import { BILLING_OF_USER, createUser, eventsOfType, startPayment, viewer, type PaymentHarness } from "./support.ts";

const WEBHOOK_SECRET = "whsec_watchflixx_test_secret";
const SUBSCRIBE = `
  mutation Subscribe($input: SubscribeInput!) {
    subscribe(input: $input) { id status plan { id name } currentPeriodEnd clientSecret }
  }`;
const CANCEL = `mutation CancelSubscription { cancelSubscription { id status cancelAtPeriodEnd } }`;
const RENT = `mutation RentContent($contentId: ID!) { rentContent(contentId: $contentId) { id status expiresAt content { id } clientSecret } }`;

describe("payment subgraph with the Stripe provider", () => {
  let database: TestDatabase;
  let stripe: FakeStripe;
  let api: PaymentHarness;
  let standardPlanId: string;
  let rentableId: string;

  beforeAll(async () => {
    database = await createTestDatabase({ seeded: true });
    stripe = await FakeStripe.start();
    api = await startPayment(database.db, stripe.env(WEBHOOK_SECRET));
    expect(api.deps.config.PAYMENT_PROVIDER).toBe("stripe");
    standardPlanId = (await database.db.plan.findUniqueOrThrow({ where: { code: "standard" } })).id;
    rentableId = (
      await database.db.content.findFirstOrThrow({ where: { rentalPriceCents: { not: null }, publishedAt: { not: null } } })
    ).id;
  });
  afterAll(async () => {
    await api?.stop();
    await stripe?.stop();
    await database?.drop();
  });

  /** http://127.0.0.1:<port>, where /webhooks/stripe is. */
  const webhookBase = () => api.url.replace(/\/graphql$/, "");
  const webhook = (payload: string, options: { timestamp?: number; secret?: string } = {}) =>
    sendWebhook(webhookBase(), payload, options.secret ?? WEBHOOK_SECRET, options);

  const subscriptionRow = (id: string) => database.db.subscription.findUniqueOrThrow({ where: { id } });

  /** Subscribes through Stripe; returns our id and Stripe's. */
  async function subscribe(userId: string): Promise<{ id: string; stripeId: string; clientSecret: string }> {
    const result = await api.gql(SUBSCRIBE, { input: { planId: standardPlanId } }, viewer(userId));
    expect(result.errors).toBeUndefined();
    const row = await subscriptionRow(result.data.subscribe.id);
    if (!row.providerSubscriptionId) throw new Error("no Stripe id stored");
    return { id: row.id, stripeId: row.providerSubscriptionId, clientSecret: result.data.subscribe.clientSecret };
  }

  /** Subscribes, then Stripe reports the first invoice paid. */
  async function activeSubscription(userId: string) {
    const subscription = await subscribe(userId);
    const { invoice } = stripe.payLatestInvoice(subscription.stripeId);
    const delivered = await webhook(stripe.event("invoice.paid", invoice).payload);
    expect(delivered).toEqual({ status: 200, body: { received: true, duplicate: false } });
    return subscription;
  }

  it("subscribes: one customer, a price per plan, an INCOMPLETE subscription with the invoice's client secret", async () => {
    const user = await createUser(database.db);
    const result = await api.gql(SUBSCRIBE, { input: { planId: standardPlanId } }, viewer(user.id));
    expect(result.errors).toBeUndefined();
    const subscribed = result.data.subscribe;
    expect(subscribed).toMatchObject({ status: "INCOMPLETE", plan: { name: "Standard" } });
    expect(subscribed.clientSecret).toMatch(/^pi_\w+_secret_\w+$/);

    const customers = stripe.requestsTo("POST", "/v1/customers");
    expect(customers).toHaveLength(1);
    expect(customers[0]).toMatchObject({ idempotencyKey: `watchflixx-customer-${user.id}`, params: { email: user.email } });
    const customerId = [...stripe.customers.keys()][0];
    expect(await database.db.paymentCustomer.findUniqueOrThrow({ where: { userId: user.id } })).toMatchObject({ provider: "STRIPE", providerCustomerId: customerId });
    const plan = await database.db.plan.findUniqueOrThrow({ where: { id: standardPlanId } });
    expect(plan.stripePriceId).toMatch(/^price_/);

    const created = stripe.requestsTo("POST", "/v1/subscriptions");
    expect(created).toHaveLength(1);
    expect(created[0]?.idempotencyKey).toBe(`watchflixx-subscription-${subscribed.id}`);
    expect(created[0]?.params).toMatchObject({
      customer: customerId,
      items: [{ price: plan.stripePriceId }],
      payment_behavior: "default_incomplete",
      metadata: { watchflixx_subscription_id: subscribed.id, watchflixx_user_id: user.id },
    });

    // Subscribing again resumes the same checkout: same subscription, same secret, nothing new at Stripe.
    const again = (await api.gql(SUBSCRIBE, { input: { planId: standardPlanId } }, viewer(user.id))).data.subscribe;
    expect(again).toMatchObject({ id: subscribed.id, status: "INCOMPLETE", clientSecret: subscribed.clientSecret });
    expect(stripe.requestsTo("POST", "/v1/subscriptions")).toHaveLength(1);

    // A rental reuses the customer: a payment intent, a client secret, an OPEN invoice until Stripe says paid.
    const rental = (await api.gql(RENT, { contentId: rentableId }, viewer(user.id))).data.rentContent;
    expect(rental).toMatchObject({ status: "PENDING", content: { id: rentableId } });
    expect(rental.clientSecret).toMatch(/^pi_\w+_secret_\w+$/);
    expect(stripe.requestsTo("POST", "/v1/customers")).toHaveLength(1);
    const intent = stripe.requestsTo("POST", "/v1/payment_intents")[0];
    expect(intent).toMatchObject({ idempotencyKey: `watchflixx-rental-${rental.id}`, params: { customer: customerId } });
    expect(await database.db.invoice.findUniqueOrThrow({ where: { rentalId: rental.id } })).toMatchObject({ status: "OPEN" });

    // Every create carried our own idempotency key.
    const posts = stripe.requests.filter((r) => r.method === "POST");
    expect(posts.length).toBeGreaterThanOrEqual(5);
    for (const request of posts) expect(request.idempotencyKey).toMatch(/^watchflixx-/);
  });

  it("activates on invoice.paid (one SubscriptionActivated); the same event delivered again changes nothing", async () => {
    const user = await createUser(database.db);
    const subscription = await subscribe(user.id);
    const { invoice } = stripe.payLatestInvoice(subscription.stripeId);
    const event = stripe.event("invoice.paid", invoice);

    expect(await webhook(event.payload)).toEqual({ status: 200, body: { received: true, duplicate: false } });
    const billing = (await api.gql(BILLING_OF_USER, { id: user.id }, viewer(user.id))).data._entities[0];
    expect(billing.subscription).toMatchObject({ id: subscription.id, status: "ACTIVE" });
    expect(billing.invoices).toEqual([expect.objectContaining({ status: "PAID", amountCents: 1299, currency: "USD" })]);
    const after = await subscriptionRow(subscription.id);

    expect(await webhook(event.payload)).toEqual({ status: 200, body: { received: true, duplicate: true } });
    expect(await subscriptionRow(subscription.id)).toEqual(after);
    expect(await eventsOfType(database.db, "SubscriptionActivated", subscription.id)).toHaveLength(1);
    expect(await database.db.invoice.count({ where: { userId: user.id } })).toBe(1);
  });

  it("answers a forged or stale signature with 400 and changes nothing", async () => {
    const user = await createUser(database.db);
    const subscription = await activeSubscription(user.id);
    const ended = stripe.event("customer.subscription.deleted", stripe.subscriptionObject(stripe.cancelSubscriptionNow(subscription.stripeId).id));
    const before = await subscriptionRow(subscription.id);

    const forged = await webhook(ended.payload, { secret: "whsec_someone_else" });
    expect(forged.status).toBe(400);
    const tampered = await sendWebhook(webhookBase(), ended.payload.replace("canceled", "active"), WEBHOOK_SECRET, {
      signature: (await import("stripe")).default.webhooks.generateTestHeaderString({ payload: ended.payload, secret: WEBHOOK_SECRET }),
    });
    expect(tampered.status).toBe(400);
    const stale = await webhook(ended.payload, { timestamp: Math.floor(Date.now() / 1000) - 3600 });
    expect(stale.status).toBe(400);
    const unsigned = await fetch(`${webhookBase()}/webhooks/stripe`, { method: "POST", headers: { "content-type": "application/json" }, body: ended.payload });
    expect(unsigned.status).toBe(400);

    expect(await subscriptionRow(subscription.id)).toEqual(before);
    expect(await database.db.processedWebhookEvent.findUnique({ where: { id: ended.id } })).toBeNull();

    // The same event, properly signed, is taken.
    expect((await webhook(ended.payload)).status).toBe(200);
    expect((await subscriptionRow(subscription.id)).status).toBe("CANCELED");
    expect((await api.gql(BILLING_OF_USER, { id: user.id }, viewer(user.id))).data._entities[0].subscription).toBeNull();
  });

  it("ignores an older customer.subscription.updated delivered after a newer one", async () => {
    const user = await createUser(database.db);
    const subscription = await activeSubscription(user.id);
    const now = Date.now();
    const older = stripe.event("customer.subscription.updated", { ...stripe.subscriptionObject(subscription.stripeId), status: "past_due" }, new Date(now - 60_000));
    const newer = stripe.event(
      "customer.subscription.updated",
      { ...stripe.subscriptionObject(subscription.stripeId), status: "active", cancel_at_period_end: true },
      new Date(now + 1000),
    );

    expect((await webhook(newer.payload)).status).toBe(200);
    expect((await webhook(older.payload)).status).toBe(200);
    expect(await subscriptionRow(subscription.id)).toMatchObject({ status: "ACTIVE", cancelAtPeriodEnd: true });
    // The late one is still recorded as handled: redelivering it is a duplicate.
    expect((await webhook(older.payload)).body).toMatchObject({ duplicate: true });
  });

  it("makes a subscription PAST_DUE with a PaymentFailed event when a renewal fails, and renews it when paid", async () => {
    const user = await createUser(database.db);
    const subscription = await activeSubscription(user.id);
    const periodEndBefore = (await subscriptionRow(subscription.id)).currentPeriodEnd;

    stripe.startRenewal(subscription.stripeId);
    const failure = stripe.failLatestInvoice(subscription.stripeId);
    expect((await webhook(stripe.event("invoice.payment_failed", failure.invoice, new Date(Date.now() + 1000)).payload)).status).toBe(200);

    expect((await subscriptionRow(subscription.id)).status).toBe("PAST_DUE");
    const failed = await eventsOfType(database.db, "PaymentFailed", subscription.id);
    expect(failed).toHaveLength(1);
    expect(failed[0]?.payload).toMatchObject({ userId: user.id, subscriptionId: subscription.id, amountCents: 1299, currency: "USD" });
    const billing = (await api.gql(BILLING_OF_USER, { id: user.id }, viewer(user.id))).data._entities[0];
    expect(billing.subscription.status).toBe("PAST_DUE");
    expect(billing.invoices.map((invoice: { status: string }) => invoice.status).sort()).toEqual(["OPEN", "PAID"]);

    const paid = stripe.payLatestInvoice(subscription.stripeId);
    expect((await webhook(stripe.event("invoice.paid", paid.invoice, new Date(Date.now() + 2000)).payload)).status).toBe(200);
    const renewed = await subscriptionRow(subscription.id);
    expect(renewed.status).toBe("ACTIVE");
    expect(renewed.currentPeriodEnd.getTime()).toBeGreaterThan(periodEndBefore.getTime());
    const renewals = await eventsOfType(database.db, "SubscriptionRenewed", subscription.id);
    expect(renewals).toHaveLength(1);
    expect(renewals[0]?.payload).toMatchObject({ userId: user.id, amountCents: 1299 });

    // A failure notice for the same invoice that arrives after it was paid changes nothing.
    expect((await webhook(stripe.event("invoice.payment_failed", failure.invoice, new Date(Date.now() + 1500)).payload)).status).toBe(200);
    expect((await subscriptionRow(subscription.id)).status).toBe("ACTIVE");
    expect(await eventsOfType(database.db, "PaymentFailed", subscription.id)).toHaveLength(1);
  });

  it("cancels at the period end through Stripe; customer.subscription.deleted ends it", async () => {
    const user = await createUser(database.db);
    const subscription = await activeSubscription(user.id);

    const canceled = await api.gql(CANCEL, {}, viewer(user.id));
    expect(canceled.data.cancelSubscription).toMatchObject({ id: subscription.id, status: "ACTIVE", cancelAtPeriodEnd: true });
    const update = stripe.requestsTo("POST", `/v1/subscriptions/${subscription.stripeId}`);
    expect(update).toHaveLength(1);
    expect(update[0]?.params).toMatchObject({ cancel_at_period_end: "true" });
    expect(update[0]?.idempotencyKey).toMatch(/^watchflixx-subscription-cancel-/);
    expect(stripe.subscription(subscription.stripeId).cancel_at_period_end).toBe(true);

    const ended = stripe.cancelSubscriptionNow(subscription.stripeId);
    expect((await webhook(stripe.event("customer.subscription.deleted", stripe.subscriptionObject(ended.id), new Date(Date.now() + 1000)).payload)).status).toBe(200);
    expect((await subscriptionRow(subscription.id)).status).toBe("CANCELED");
    expect((await api.gql(BILLING_OF_USER, { id: user.id }, viewer(user.id))).data._entities[0].subscription).toBeNull();
    expect(await eventsOfType(database.db, "SubscriptionCanceled", subscription.id)).toHaveLength(1);
  });

  it("marks a rental paid on payment_intent.succeeded (RentalPurchased once)", async () => {
    const user = await createUser(database.db);
    const rental = (await api.gql(RENT, { contentId: rentableId }, viewer(user.id))).data.rentContent;
    const row = await database.db.rental.findUniqueOrThrow({ where: { id: rental.id } });
    if (!row.providerPaymentId) throw new Error("no payment intent stored");
    expect(await eventsOfType(database.db, "RentalPurchased", rental.id)).toHaveLength(0);

    // Renting again before paying gives the same purchase to confirm.
    const again = (await api.gql(RENT, { contentId: rentableId }, viewer(user.id))).data.rentContent;
    expect(again).toMatchObject({ id: rental.id, clientSecret: rental.clientSecret });

    const event = stripe.event("payment_intent.succeeded", stripe.succeedPaymentIntent(row.providerPaymentId));
    expect((await webhook(event.payload)).status).toBe(200);
    expect((await webhook(event.payload)).body).toMatchObject({ duplicate: true });
    expect(await database.db.invoice.findUniqueOrThrow({ where: { rentalId: rental.id } })).toMatchObject({ status: "PAID" });
    expect(await eventsOfType(database.db, "RentalPurchased", rental.id)).toHaveLength(1);
    expect(codeOf(await api.gql(RENT, { contentId: rentableId }, viewer(user.id)))).toBe("CONFLICT");
  });

  it("creates one payment intent and one invoice for ten rentContent calls arriving together", async () => {
    const user = await createUser(database.db);
    const before = stripe.paymentIntents.size;
    const answers = await Promise.all(Array.from({ length: 10 }, () => api.gql(RENT, { contentId: rentableId }, viewer(user.id))));
    for (const answer of answers) expect(answer.errors).toBeUndefined();
    const rentals = await database.db.rental.findMany({ where: { userId: user.id } });
    expect(rentals).toHaveLength(1);
    // Not paid until the client confirms: every caller gets the same purchase and its client secret.
    expect(new Set(answers.map((answer) => answer.data.rentContent.id))).toEqual(new Set([rentals[0]?.id]));
    expect(new Set(answers.map((answer) => answer.data.rentContent.clientSecret)).size).toBe(1);
    expect(stripe.paymentIntents.size - before).toBe(1);
    expect(await database.db.invoice.count({ where: { userId: user.id } })).toBe(1);
  });

  it("answers a declined card with PAYMENT_REQUIRED and keeps no subscription", async () => {
    const user = await createUser(database.db);
    const result = await api.gql(SUBSCRIBE, { input: { planId: standardPlanId, paymentMethodId: "pm_card_declined" } }, viewer(user.id));
    expect(codeOf(result)).toBe("PAYMENT_REQUIRED");
    expect(await database.db.subscription.count({ where: { userId: user.id } })).toBe(0);
    expect((await api.gql(BILLING_OF_USER, { id: user.id }, viewer(user.id))).data._entities[0].subscription).toBeNull();
  });

  it("finds a subscription through its metadata when the webhook beats subscribe to storing Stripe's id", async () => {
    const user = await createUser(database.db);
    const now = new Date();
    // What subscribe has written before its Stripe call returns.
    const row = await database.db.subscription.create({
      data: { userId: user.id, planId: standardPlanId, status: "INCOMPLETE", provider: "STRIPE", currentPeriodStart: now, currentPeriodEnd: now },
    });
    const template = stripe.subscriptionObject([...stripe.subscriptions.keys()][0] ?? "");
    const early = stripe.event("customer.subscription.updated", {
      ...template,
      id: "sub_early_bird",
      status: "active",
      metadata: { watchflixx_subscription_id: row.id },
    });
    expect((await webhook(early.payload)).status).toBe(200);
    expect(await subscriptionRow(row.id)).toMatchObject({ status: "ACTIVE", providerSubscriptionId: "sub_early_bird" });
    expect(await eventsOfType(database.db, "SubscriptionActivated", row.id)).toHaveLength(1);
  });

  it("acknowledges events about other objects without changing anything", async () => {
    const event = stripe.event("customer.created", { id: "cus_elsewhere", object: "customer" });
    expect(await webhook(event.payload)).toEqual({ status: 200, body: { received: true, duplicate: false } });
    const foreign = stripe.event("customer.subscription.updated", {
      ...stripe.subscriptionObject([...stripe.subscriptions.keys()][0] ?? ""),
      id: "sub_not_ours",
      metadata: {},
    });
    expect((await webhook(foreign.payload)).status).toBe(200);
  });
});
