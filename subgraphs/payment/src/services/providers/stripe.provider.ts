// Stripe: customers, products/prices for plans, subscriptions with `payment_behavior: default_incomplete` (the
// client confirms the first payment with the returned client secret), payment intents for rentals. Every
// create carries an idempotency key derived from our own ids, so a retried call never charges twice.
import Stripe from "stripe";
import { InvoiceStatus, PaymentProvider, SubscriptionStatus } from "@watchflixx/db";
import {
  PaymentDeclinedError,
  type CustomerInput,
  type InvoiceSnapshot,
  type PaymentProviderClient,
  type PaymentSnapshot,
  type PlanInput,
  type StartedSubscription,
  type StartRentalPaymentInput,
  type StartSubscriptionInput,
  type SubscriptionSnapshot,
} from "./provider.ts";

export interface StripeClientOptions {
  secretKey: string;
  host?: string | undefined;
  port?: number | undefined;
  protocol?: "http" | "https" | undefined;
}

export function createStripeClient(options: StripeClientOptions): Stripe {
  return new Stripe(options.secretKey, {
    ...(options.host ? { host: options.host } : {}),
    ...(options.port ? { port: options.port } : {}),
    ...(options.protocol ? { protocol: options.protocol } : {}),
    maxNetworkRetries: 2,
    telemetry: false,
    appInfo: { name: "watchflixx-payment" },
  });
}

/** The metadata keys that lead a Stripe object (and its webhooks) back to our rows. */
export const METADATA = {
  userId: "watchflixx_user_id",
  planId: "watchflixx_plan_id",
  subscriptionId: "watchflixx_subscription_id",
  rentalId: "watchflixx_rental_id",
  contentId: "watchflixx_content_id",
} as const;

const SUBSCRIPTION_EXPAND = ["latest_invoice.confirmation_secret", "pending_setup_intent"];

const fromUnix = (seconds: number): Date => new Date(seconds * 1000);
const fromUnixOrNull = (seconds: number | null | undefined): Date | null => (seconds ? fromUnix(seconds) : null);

const SUBSCRIPTION_STATUSES: Record<string, SubscriptionStatus> = {
  trialing: SubscriptionStatus.TRIALING,
  active: SubscriptionStatus.ACTIVE,
  past_due: SubscriptionStatus.PAST_DUE,
  canceled: SubscriptionStatus.CANCELED,
  incomplete: SubscriptionStatus.INCOMPLETE,
  incomplete_expired: SubscriptionStatus.INCOMPLETE_EXPIRED,
  unpaid: SubscriptionStatus.UNPAID,
  paused: SubscriptionStatus.PAUSED,
};

const INVOICE_STATUSES: Record<string, InvoiceStatus> = {
  draft: InvoiceStatus.DRAFT,
  open: InvoiceStatus.OPEN,
  paid: InvoiceStatus.PAID,
  void: InvoiceStatus.VOID,
  uncollectible: InvoiceStatus.UNCOLLECTIBLE,
};

export function subscriptionStatusFromStripe(status: string): SubscriptionStatus {
  const mapped = SUBSCRIPTION_STATUSES[status];
  if (!mapped) throw new Error(`Unknown Stripe subscription status "${status}"`);
  return mapped;
}

export function invoiceStatusFromStripe(status: string | null): InvoiceStatus {
  return (status && INVOICE_STATUSES[status]) || InvoiceStatus.DRAFT;
}

/** Our snapshot of a Stripe subscription. Since API 2025-03-31 the period lives on the subscription's items. */
export function subscriptionSnapshotFromStripe(subscription: Stripe.Subscription): SubscriptionSnapshot {
  const item = subscription.items?.data?.[0];
  const periodStart = item?.current_period_start ?? subscription.billing_cycle_anchor ?? subscription.start_date;
  const periodEnd = item?.current_period_end ?? subscription.billing_cycle_anchor ?? subscription.start_date;
  return {
    providerSubscriptionId: subscription.id,
    status: subscriptionStatusFromStripe(subscription.status),
    currentPeriodStart: fromUnix(periodStart),
    currentPeriodEnd: fromUnix(periodEnd),
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    canceledAt: fromUnixOrNull(subscription.canceled_at),
    trialEnd: fromUnixOrNull(subscription.trial_end),
  };
}

/** Our snapshot of a Stripe invoice; the period is the first line's (the subscription period it pays for). */
export function invoiceSnapshotFromStripe(invoice: Stripe.Invoice): InvoiceSnapshot {
  const line = invoice.lines?.data?.[0];
  const status = invoiceStatusFromStripe(invoice.status);
  const paidAt = invoice.status_transitions?.paid_at ?? null;
  const paid = status === InvoiceStatus.PAID;
  return {
    providerInvoiceId: invoice.id,
    amountCents: paid ? invoice.amount_paid : invoice.amount_due,
    currency: invoice.currency.toUpperCase(),
    status,
    periodStart: line ? fromUnix(line.period.start) : null,
    periodEnd: line ? fromUnix(line.period.end) : null,
    issuedAt: fromUnix(invoice.created),
    paidAt: paid ? fromUnix(paidAt ?? invoice.created) : null,
  };
}

/** The Stripe subscription an invoice belongs to (its id), if any. */
export function invoiceSubscriptionId(invoice: Stripe.Invoice): string | null {
  const parent = invoice.parent?.subscription_details?.subscription;
  if (!parent) return null;
  return typeof parent === "string" ? parent : parent.id;
}

export function paymentSnapshotFromStripe(intent: Stripe.PaymentIntent): PaymentSnapshot {
  return {
    providerPaymentId: intent.id,
    succeeded: intent.status === "succeeded",
    canceled: intent.status === "canceled",
    clientSecret: intent.status === "succeeded" || intent.status === "canceled" ? null : intent.client_secret,
  };
}

function startedFromStripe(subscription: Stripe.Subscription): StartedSubscription {
  const snapshot = subscriptionSnapshotFromStripe(subscription);
  const invoice = typeof subscription.latest_invoice === "object" && subscription.latest_invoice ? subscription.latest_invoice : null;
  const setupIntent =
    typeof subscription.pending_setup_intent === "object" && subscription.pending_setup_intent ? subscription.pending_setup_intent : null;
  let clientSecret: string | null = null;
  if (snapshot.status === SubscriptionStatus.INCOMPLETE) clientSecret = invoice?.confirmation_secret?.client_secret ?? null;
  else if (setupIntent) clientSecret = setupIntent.client_secret;
  const invoiceSnapshot = invoice ? invoiceSnapshotFromStripe(invoice) : null;
  return {
    subscription: snapshot,
    // The first invoice pays for the first period, whatever the invoice's own period fields say.
    invoice: invoiceSnapshot && {
      ...invoiceSnapshot,
      periodStart: invoiceSnapshot.periodStart ?? snapshot.currentPeriodStart,
      periodEnd: invoiceSnapshot.periodEnd ?? snapshot.currentPeriodEnd,
    },
    clientSecret,
  };
}

/** A declined card or failed authentication is the client's problem to fix; anything else is ours. */
async function declinesAsPaymentErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof Stripe.errors.StripeCardError) throw new PaymentDeclinedError(error.message);
    throw error;
  }
}

export class StripePaymentProvider implements PaymentProviderClient {
  readonly kind = PaymentProvider.STRIPE;

  constructor(private readonly stripe: Stripe) {}

  async ensureCustomer(customer: CustomerInput): Promise<string> {
    if (customer.providerCustomerId) return customer.providerCustomerId;
    const created = await this.stripe.customers.create(
      { email: customer.email, name: customer.name, metadata: { [METADATA.userId]: customer.id } },
      { idempotencyKey: `watchflixx-customer-${customer.id}` },
    );
    return created.id;
  }

  async ensurePlanPrice(plan: PlanInput): Promise<string> {
    if (plan.providerPriceId) return plan.providerPriceId;
    const product = await this.stripe.products.create(
      { name: `WatchFlixx ${plan.name}`, metadata: { [METADATA.planId]: plan.id } },
      { idempotencyKey: `watchflixx-plan-product-${plan.id}` },
    );
    const price = await this.stripe.prices.create(
      {
        product: product.id,
        unit_amount: plan.priceCents,
        currency: plan.currency.toLowerCase(),
        recurring: { interval: plan.interval === "YEAR" ? "year" : "month" },
        metadata: { [METADATA.planId]: plan.id },
      },
      // A changed price is a new Stripe price: the key names what it is for.
      { idempotencyKey: `watchflixx-plan-price-${plan.id}-${plan.priceCents}-${plan.currency}-${plan.interval}` },
    );
    return price.id;
  }

  async startSubscription(input: StartSubscriptionInput): Promise<StartedSubscription> {
    const { providerCustomerId: customer, providerPriceId: price } = input;
    if (!customer || !price) throw new Error("A Stripe subscription needs a customer and a price.");
    return declinesAsPaymentErrors(async () => {
      if (input.paymentMethodId) {
        await this.stripe.paymentMethods.attach(
          input.paymentMethodId,
          { customer },
          { idempotencyKey: `watchflixx-attach-${input.localSubscriptionId}` },
        );
      }
      const subscription = await this.stripe.subscriptions.create(
        {
          customer,
          items: [{ price }],
          payment_behavior: "default_incomplete",
          payment_settings: { save_default_payment_method: "on_subscription" },
          ...(input.paymentMethodId ? { default_payment_method: input.paymentMethodId } : {}),
          ...(input.plan.trialDays > 0 ? { trial_period_days: input.plan.trialDays } : {}),
          metadata: {
            [METADATA.subscriptionId]: input.localSubscriptionId,
            [METADATA.userId]: input.userId,
            [METADATA.planId]: input.plan.id,
          },
          expand: SUBSCRIPTION_EXPAND,
        },
        { idempotencyKey: `watchflixx-subscription-${input.localSubscriptionId}` },
      );
      return startedFromStripe(subscription);
    });
  }

  async retrieveSubscription(providerSubscriptionId: string): Promise<StartedSubscription> {
    const subscription = await this.stripe.subscriptions.retrieve(providerSubscriptionId, { expand: SUBSCRIPTION_EXPAND });
    return startedFromStripe(subscription);
  }

  async cancelAtPeriodEnd(input: { localSubscriptionId: string; version: number; current: SubscriptionSnapshot }): Promise<SubscriptionSnapshot> {
    const subscription = await this.stripe.subscriptions.update(
      input.current.providerSubscriptionId,
      { cancel_at_period_end: true },
      { idempotencyKey: `watchflixx-subscription-cancel-${input.localSubscriptionId}-v${input.version}` },
    );
    return subscriptionSnapshotFromStripe(subscription);
  }

  async cancelNow(current: SubscriptionSnapshot): Promise<SubscriptionSnapshot> {
    const subscription = await this.stripe.subscriptions.cancel(current.providerSubscriptionId);
    return subscriptionSnapshotFromStripe(subscription);
  }

  async startRentalPayment(input: StartRentalPaymentInput): Promise<PaymentSnapshot> {
    if (!input.providerCustomerId) throw new Error("A Stripe payment needs a customer.");
    const customer = input.providerCustomerId;
    return declinesAsPaymentErrors(async () => {
      const intent = await this.stripe.paymentIntents.create(
        {
          amount: input.amountCents,
          currency: input.currency.toLowerCase(),
          customer,
          description: input.description,
          automatic_payment_methods: { enabled: true },
          metadata: {
            [METADATA.rentalId]: input.rentalId,
            [METADATA.userId]: input.userId,
            [METADATA.contentId]: input.contentId,
          },
        },
        { idempotencyKey: `watchflixx-rental-${input.rentalId}` },
      );
      return paymentSnapshotFromStripe(intent);
    });
  }

  async retrievePayment(providerPaymentId: string): Promise<PaymentSnapshot> {
    return paymentSnapshotFromStripe(await this.stripe.paymentIntents.retrieve(providerPaymentId));
  }
}
