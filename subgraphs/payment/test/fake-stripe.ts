// A stand-in for the slice of Stripe's API the payment provider calls, on a local node:http server: form-encoded
// request bodies, `expand[]`, idempotency keys (same key and body → the same response again; same key, other
// body → 400), bearer-key authentication and Stripe-shaped objects. Tests point the SDK at it with the
// `host`/`port`/`protocol` options and drive the "Stripe side" of a scenario through the methods below, which
// change the stored objects the way Stripe would and build the webhook events that report it.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";

type Json = Record<string, unknown>;
type Params = Record<string, unknown>;

export interface RecordedRequest {
  method: string;
  path: string;
  idempotencyKey: string | null;
  params: Params;
  /** True when the response was the stored one of an earlier request with the same idempotency key. */
  replayed: boolean;
}

interface StoredResponse {
  fingerprint: string;
  status: number;
  body: string;
}

export interface FakeSubscription {
  id: string;
  object: "subscription";
  customer: string;
  status: string;
  items: { object: "list"; data: Json[]; has_more: false; url: string };
  latest_invoice: string | null;
  cancel_at_period_end: boolean;
  canceled_at: number | null;
  ended_at: number | null;
  trial_start: number | null;
  trial_end: number | null;
  created: number;
  start_date: number;
  billing_cycle_anchor: number;
  default_payment_method: string | null;
  pending_setup_intent: string | null;
  metadata: Record<string, string>;
  livemode: false;
}

const unix = (date: Date = new Date()): number => Math.floor(date.getTime() / 1000);
const id = (prefix: string): string => `${prefix}_${randomBytes(12).toString("base64url").replace(/[-_]/g, "x")}`;

function addMonths(seconds: number, months: number): number {
  const date = new Date(seconds * 1000);
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  const last = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, last));
  return unix(date);
}

/** `items[0][price]=x&metadata[k]=v&expand[0]=a.b` → `{ items: [{ price: "x" }], metadata: { k: "v" }, expand: ["a.b"] }`. */
export function decodeStripeForm(encoded: string): Params {
  const root: Params = {};
  for (const [key, value] of new URLSearchParams(encoded)) {
    const path = key.replace(/\]/g, "").split("[");
    let node: Record<string, unknown> | unknown[] = root;
    path.forEach((segment, index) => {
      const last = index === path.length - 1;
      const container = node as Record<string, unknown>;
      if (last) {
        container[segment] = value;
        return;
      }
      const nextIsIndex = /^\d+$/.test(path[index + 1] ?? "");
      container[segment] ??= nextIsIndex ? [] : {};
      node = container[segment] as Record<string, unknown>;
    });
  }
  return root;
}

function stripeError(status: number, type: string, message: string, extra: Json = {}): { status: number; body: Json } {
  return { status, body: { error: { type, message, ...extra } } };
}

export class FakeStripe {
  readonly requests: RecordedRequest[] = [];
  readonly customers = new Map<string, Json>();
  readonly products = new Map<string, Json>();
  readonly prices = new Map<string, Json>();
  readonly paymentMethods = new Map<string, Json>();
  readonly subscriptions = new Map<string, FakeSubscription>();
  readonly invoices = new Map<string, Json>();
  readonly paymentIntents = new Map<string, Json>();
  readonly setupIntents = new Map<string, Json>();
  /** Payment method ids whose attachment is declined, as Stripe's `pm_card_chargeDeclined...` test cards are. */
  readonly decliningPaymentMethods = new Set<string>(["pm_card_declined"]);
  private readonly idempotent = new Map<string, StoredResponse>();
  private server: http.Server | null = null;

  private constructor(readonly apiKey: string) {}

  static async start(apiKey = "sk_test_watchflixx_fake"): Promise<FakeStripe> {
    const fake = new FakeStripe(apiKey);
    fake.server = http.createServer((req, res) => void fake.serve(req, res));
    await new Promise<void>((resolve) => fake.server?.listen(0, "127.0.0.1", resolve));
    return fake;
  }

  get port(): number {
    return (this.server?.address() as AddressInfo).port;
  }

  /** The variables that point the payment subgraph at this server. */
  env(webhookSecret: string): Record<string, string> {
    return {
      PAYMENT_PROVIDER: "stripe",
      STRIPE_SECRET_KEY: this.apiKey,
      STRIPE_WEBHOOK_SECRET: webhookSecret,
      STRIPE_API_HOST: "127.0.0.1",
      STRIPE_API_PORT: String(this.port),
      STRIPE_API_PROTOCOL: "http",
    };
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  requestsTo(method: string, path: string | RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && (typeof path === "string" ? r.path === path : path.test(r.path)));
  }

  // ───────────── the HTTP side ─────────────

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://fake-stripe");
    const method = req.method ?? "GET";
    const params = method === "GET" || method === "DELETE" ? decodeStripeForm(url.search.slice(1)) : decodeStripeForm(raw);
    const keyHeader = req.headers["idempotency-key"];
    const idempotencyKey = typeof keyHeader === "string" ? keyHeader : null;

    const send = (status: number, body: string, replayed: boolean) => {
      this.requests.push({ method, path: url.pathname, idempotencyKey, params, replayed });
      res.writeHead(status, {
        "content-type": "application/json",
        "request-id": id("req"),
        ...(idempotencyKey ? { "idempotency-key": idempotencyKey } : {}),
        ...(replayed ? { "idempotent-replayed": "true" } : {}),
        "stripe-should-retry": "false",
      });
      res.end(body);
    };

    if (req.headers.authorization !== `Bearer ${this.apiKey}`) {
      const error = stripeError(401, "invalid_request_error", "Invalid API Key provided.");
      send(error.status, JSON.stringify(error.body), false);
      return;
    }
    const fingerprint = `${method} ${url.pathname} ${raw}`;
    if (idempotencyKey && method === "POST") {
      const stored = this.idempotent.get(idempotencyKey);
      if (stored) {
        if (stored.fingerprint === fingerprint) {
          send(stored.status, stored.body, true);
        } else {
          const error = stripeError(
            400,
            "idempotency_error",
            "Keys for idempotent requests can only be used with the same parameters they were first used with.",
          );
          send(error.status, JSON.stringify(error.body), false);
        }
        return;
      }
    }
    let result: { status: number; body: Json };
    try {
      result = this.route(method, url.pathname, params);
    } catch (error) {
      result = stripeError(500, "api_error", error instanceof Error ? error.message : String(error));
    }
    const body = JSON.stringify(result.body);
    if (idempotencyKey && method === "POST" && result.status < 500) this.idempotent.set(idempotencyKey, { fingerprint, status: result.status, body });
    send(result.status, body, false);
  }

  private route(method: string, path: string, params: Params): { status: number; body: Json } {
    const ok = (body: Json) => ({ status: 200, body });
    const segments = path.split("/").filter(Boolean); // ["v1", resource, id?, action?]
    const [version, resource, objectId, action] = segments;
    if (version !== "v1") return stripeError(404, "invalid_request_error", `Unrecognized request URL (${method}: ${path}).`);
    const missing = (kind: string) => stripeError(404, "invalid_request_error", `No such ${kind}: '${objectId}'`, { code: "resource_missing" });

    if (resource === "customers" && method === "POST" && !objectId) return ok(this.createCustomer(params));
    if (resource === "products" && method === "POST" && !objectId) return ok(this.createProduct(params));
    if (resource === "prices" && method === "POST" && !objectId) return ok(this.createPrice(params));
    if (resource === "payment_methods" && method === "POST" && objectId && action === "attach") {
      if (this.decliningPaymentMethods.has(objectId)) {
        return stripeError(402, "card_error", "Your card was declined.", { code: "card_declined", decline_code: "generic_decline" });
      }
      return ok(this.attachPaymentMethod(objectId, String(params.customer)));
    }
    if (resource === "subscriptions") {
      if (method === "POST" && !objectId) {
        const created = this.createSubscription(params);
        return "error" in created ? created.error : ok(this.expandSubscription(created.subscription, params.expand));
      }
      const subscription = objectId ? this.subscriptions.get(objectId) : undefined;
      if (!subscription) return missing("subscription");
      if (method === "GET") return ok(this.expandSubscription(subscription, params.expand));
      if (method === "POST") {
        if (params.cancel_at_period_end !== undefined) subscription.cancel_at_period_end = params.cancel_at_period_end === "true";
        return ok(this.expandSubscription(subscription, params.expand));
      }
      if (method === "DELETE") return ok(this.expandSubscription(this.cancelSubscriptionNow(subscription.id), params.expand));
    }
    if (resource === "payment_intents") {
      if (method === "POST" && !objectId) return ok(this.createPaymentIntent(params));
      const intent = objectId ? this.paymentIntents.get(objectId) : undefined;
      if (!intent) return missing("payment_intent");
      if (method === "GET") return ok(intent);
    }
    return stripeError(404, "invalid_request_error", `Unrecognized request URL (${method}: ${path}).`);
  }

  private createCustomer(params: Params): Json {
    const customer = {
      id: id("cus"),
      object: "customer",
      email: params.email ?? null,
      name: params.name ?? null,
      metadata: params.metadata ?? {},
      created: unix(),
      livemode: false,
    };
    this.customers.set(customer.id, customer);
    return customer;
  }

  private createProduct(params: Params): Json {
    const product = { id: id("prod"), object: "product", name: params.name, active: true, metadata: params.metadata ?? {}, created: unix() };
    this.products.set(product.id, product);
    return product;
  }

  private createPrice(params: Params): Json {
    const recurring = (params.recurring ?? null) as { interval?: string } | null;
    const price = {
      id: id("price"),
      object: "price",
      product: params.product,
      unit_amount: Number(params.unit_amount),
      currency: params.currency,
      recurring: recurring ? { interval: recurring.interval ?? "month", interval_count: 1 } : null,
      type: recurring ? "recurring" : "one_time",
      active: true,
      metadata: params.metadata ?? {},
      created: unix(),
    };
    this.prices.set(price.id, price);
    return price;
  }

  private attachPaymentMethod(paymentMethodId: string, customer: string): Json {
    const method = {
      id: paymentMethodId,
      object: "payment_method",
      type: "card",
      customer,
      card: { brand: "visa", last4: "4242", exp_month: 12, exp_year: new Date().getUTCFullYear() + 5 },
      created: unix(),
    };
    this.paymentMethods.set(paymentMethodId, method);
    return method;
  }

  private createSubscription(params: Params): { subscription: FakeSubscription } | { error: { status: number; body: Json } } {
    const customer = String(params.customer ?? "");
    if (!this.customers.has(customer)) return { error: stripeError(400, "invalid_request_error", `No such customer: '${customer}'`) };
    const items = (params.items ?? []) as { price?: string }[];
    const price = this.prices.get(items[0]?.price ?? "");
    if (!price) return { error: stripeError(400, "invalid_request_error", `No such price: '${items[0]?.price}'`) };
    const now = unix();
    const trialDays = params.trial_period_days ? Number(params.trial_period_days) : 0;
    const interval = (price.recurring as { interval: string }).interval;
    const periodEnd = trialDays > 0 ? now + trialDays * 86_400 : addMonths(now, interval === "year" ? 12 : 1);
    const subscription: FakeSubscription = {
      id: id("sub"),
      object: "subscription",
      customer,
      status: trialDays > 0 ? "trialing" : "incomplete",
      items: {
        object: "list",
        data: [{ id: id("si"), object: "subscription_item", price, quantity: 1, current_period_start: now, current_period_end: periodEnd }],
        has_more: false,
        url: "/v1/subscription_items",
      },
      latest_invoice: null,
      cancel_at_period_end: false,
      canceled_at: null,
      ended_at: null,
      trial_start: trialDays > 0 ? now : null,
      trial_end: trialDays > 0 ? periodEnd : null,
      created: now,
      start_date: now,
      billing_cycle_anchor: periodEnd,
      default_payment_method: typeof params.default_payment_method === "string" ? params.default_payment_method : null,
      pending_setup_intent: null,
      metadata: (params.metadata ?? {}) as Record<string, string>,
      livemode: false,
    };
    this.subscriptions.set(subscription.id, subscription);
    const invoice = this.createInvoice(subscription, {
      amount: trialDays > 0 ? 0 : Number(price.unit_amount),
      billingReason: "subscription_create",
      periodStart: now,
      periodEnd,
      paid: trialDays > 0,
    });
    subscription.latest_invoice = String(invoice.id);
    if (trialDays > 0) {
      const setupIntent = { id: id("seti"), object: "setup_intent", status: "requires_payment_method", customer, client_secret: "" };
      setupIntent.client_secret = `${setupIntent.id}_secret_${randomBytes(8).toString("hex")}`;
      this.setupIntents.set(setupIntent.id, setupIntent);
      subscription.pending_setup_intent = setupIntent.id;
    }
    return { subscription };
  }

  private createInvoice(
    subscription: FakeSubscription,
    options: { amount: number; billingReason: string; periodStart: number; periodEnd: number; paid: boolean },
  ): Json {
    const now = unix();
    const price = subscription.items.data[0]?.price as Json;
    const invoiceId = id("in");
    const intentId = id("pi");
    const invoice: Json = {
      id: invoiceId,
      object: "invoice",
      customer: subscription.customer,
      status: options.paid ? "paid" : "open",
      amount_due: options.amount,
      amount_paid: options.paid ? options.amount : 0,
      amount_remaining: options.paid ? 0 : options.amount,
      currency: price.currency,
      created: now,
      billing_reason: options.billingReason,
      attempt_count: 0,
      next_payment_attempt: null,
      last_finalization_error: null,
      lines: {
        object: "list",
        data: [{ id: id("il"), object: "line_item", amount: options.amount, period: { start: options.periodStart, end: options.periodEnd } }],
        has_more: false,
        url: `/v1/invoices/${invoiceId}/lines`,
      },
      parent: {
        type: "subscription_details",
        quote_details: null,
        subscription_details: { subscription: subscription.id, metadata: { ...subscription.metadata } },
      },
      status_transitions: { finalized_at: now, paid_at: options.paid ? now : null, voided_at: null, marked_uncollectible_at: null },
      period_start: options.periodStart,
      period_end: options.periodStart,
      confirmation_secret: options.paid ? null : { client_secret: `${intentId}_secret_${randomBytes(8).toString("hex")}`, type: "payment_intent" },
      livemode: false,
    };
    this.invoices.set(invoiceId, invoice);
    return invoice;
  }

  private expandSubscription(subscription: FakeSubscription, expand: unknown): Json {
    const paths = Array.isArray(expand) ? expand.map(String) : [];
    const copy: Json = structuredClone(subscription) as unknown as Json;
    if (paths.some((path) => path === "latest_invoice" || path.startsWith("latest_invoice.")) && subscription.latest_invoice) {
      const invoice = structuredClone(this.invoices.get(subscription.latest_invoice)) as Json;
      // `confirmation_secret` is includable: only present when asked for.
      if (!paths.includes("latest_invoice.confirmation_secret")) delete invoice.confirmation_secret;
      copy.latest_invoice = invoice;
    }
    if (paths.includes("pending_setup_intent") && subscription.pending_setup_intent) {
      copy.pending_setup_intent = structuredClone(this.setupIntents.get(subscription.pending_setup_intent));
    }
    return copy;
  }

  private createPaymentIntent(params: Params): Json {
    const intentId = id("pi");
    const intent = {
      id: intentId,
      object: "payment_intent",
      amount: Number(params.amount),
      currency: params.currency,
      customer: params.customer ?? null,
      description: params.description ?? null,
      status: "requires_payment_method",
      client_secret: `${intentId}_secret_${randomBytes(8).toString("hex")}`,
      automatic_payment_methods: params.automatic_payment_methods ? { enabled: true } : null,
      last_payment_error: null,
      metadata: params.metadata ?? {},
      created: unix(),
      livemode: false,
    };
    this.paymentIntents.set(intentId, intent);
    return intent;
  }

  // ───────────── the "Stripe side" of a scenario ─────────────

  subscription(subscriptionId: string): FakeSubscription {
    const subscription = this.subscriptions.get(subscriptionId);
    if (!subscription) throw new Error(`fake Stripe has no subscription ${subscriptionId}`);
    return subscription;
  }

  /** A snapshot of the subscription as a webhook would carry it. */
  subscriptionObject(subscriptionId: string): Json {
    return structuredClone(this.subscription(subscriptionId)) as unknown as Json;
  }

  invoice(invoiceId: string): Json {
    const invoice = this.invoices.get(invoiceId);
    if (!invoice) throw new Error(`fake Stripe has no invoice ${invoiceId}`);
    return structuredClone(invoice);
  }

  /** The customer confirms the first payment: the invoice is paid and the subscription becomes active. */
  payLatestInvoice(subscriptionId: string): { invoice: Json; subscription: Json } {
    const subscription = this.subscription(subscriptionId);
    const invoice = this.invoices.get(subscription.latest_invoice ?? "");
    if (!invoice) throw new Error("no invoice to pay");
    Object.assign(invoice, {
      status: "paid",
      amount_paid: invoice.amount_due,
      amount_remaining: 0,
      confirmation_secret: null,
      status_transitions: { ...(invoice.status_transitions as Json), paid_at: unix() },
    });
    subscription.status = "active";
    return { invoice: structuredClone(invoice), subscription: this.subscriptionObject(subscriptionId) };
  }

  /** A period ends: Stripe opens the renewal invoice and moves the period on. */
  startRenewal(subscriptionId: string): { invoice: Json; subscription: Json } {
    const subscription = this.subscription(subscriptionId);
    const item = subscription.items.data[0] as { current_period_start: number; current_period_end: number; price: Json };
    const start = item.current_period_end;
    const end = addMonths(start, (item.price.recurring as { interval: string }).interval === "year" ? 12 : 1);
    item.current_period_start = start;
    item.current_period_end = end;
    const invoice = this.createInvoice(subscription, {
      amount: Number(item.price.unit_amount),
      billingReason: "subscription_cycle",
      periodStart: start,
      periodEnd: end,
      paid: false,
    });
    subscription.latest_invoice = String(invoice.id);
    return { invoice: structuredClone(invoice), subscription: this.subscriptionObject(subscriptionId) };
  }

  /** The renewal payment fails: the invoice stays open, the subscription goes past due. */
  failLatestInvoice(subscriptionId: string): { invoice: Json; subscription: Json } {
    const subscription = this.subscription(subscriptionId);
    const invoice = this.invoices.get(subscription.latest_invoice ?? "");
    if (!invoice) throw new Error("no invoice to fail");
    invoice.attempt_count = Number(invoice.attempt_count) + 1;
    invoice.next_payment_attempt = unix() + 3 * 86_400;
    subscription.status = "past_due";
    return { invoice: structuredClone(invoice), subscription: this.subscriptionObject(subscriptionId) };
  }

  cancelSubscriptionNow(subscriptionId: string): FakeSubscription {
    const subscription = this.subscription(subscriptionId);
    subscription.status = subscription.status === "incomplete" ? "incomplete_expired" : "canceled";
    subscription.canceled_at = unix();
    subscription.ended_at = unix();
    return subscription;
  }

  succeedPaymentIntent(intentId: string): Json {
    const intent = this.paymentIntents.get(intentId);
    if (!intent) throw new Error(`fake Stripe has no payment intent ${intentId}`);
    intent.status = "succeeded";
    return structuredClone(intent);
  }

  /** A webhook event as Stripe sends it; `created` defaults to now. */
  event(type: string, object: Json, created: Date = new Date()): { id: string; payload: string } {
    const eventId = id("evt");
    const payload = JSON.stringify({
      id: eventId,
      object: "event",
      api_version: Stripe.API_VERSION,
      created: unix(created),
      data: { object },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    });
    return { id: eventId, payload };
  }
}

/** POSTs a webhook payload signed as Stripe signs it (`timestamp` in seconds; default now). */
export async function sendWebhook(
  baseUrl: string,
  payload: string,
  secret: string,
  options: { timestamp?: number; signature?: string } = {},
): Promise<{ status: number; body: Json }> {
  const header =
    options.signature ??
    Stripe.webhooks.generateTestHeaderString({ payload, secret, ...(options.timestamp ? { timestamp: options.timestamp } : {}) });
  const response = await fetch(`${baseUrl}/webhooks/stripe`, {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": header },
    body: payload,
  });
  return { status: response.status, body: (await response.json()) as Json };
}
