// The payment provider seam. Two real implementations: Stripe (when STRIPE_SECRET_KEY is set) and the built-in
// local provider (the default). Providers never touch the database: they return snapshots of the provider's
// state, and the services write those through one state machine (subscription-state.ts), whichever provider
// produced them.
import type { BillingInterval, InvoiceStatus, PaymentProvider, SubscriptionStatus } from "@watchflixx/db";

/** The provider's view of a subscription at one moment. */
export interface SubscriptionSnapshot {
  providerSubscriptionId: string;
  status: SubscriptionStatus;
  currentPeriodStart: Date;
  currentPeriodEnd: Date;
  cancelAtPeriodEnd: boolean;
  canceledAt: Date | null;
  trialEnd: Date | null;
}

/** The provider's view of an invoice (for a subscription period). */
export interface InvoiceSnapshot {
  providerInvoiceId: string;
  amountCents: number;
  /** ISO 4217, upper case. */
  currency: string;
  status: InvoiceStatus;
  periodStart: Date | null;
  periodEnd: Date | null;
  issuedAt: Date;
  paidAt: Date | null;
}

export interface StartedSubscription {
  subscription: SubscriptionSnapshot;
  /** The subscription's first (latest) invoice, when the provider has one. */
  invoice: InvoiceSnapshot | null;
  /** Set when the client has to confirm a payment or a card set-up (Stripe); null otherwise. */
  clientSecret: string | null;
}

export interface PaymentSnapshot {
  providerPaymentId: string;
  /** True once the money is in; the rental's invoice is then PAID. */
  succeeded: boolean;
  /** True when the payment can no longer succeed (canceled). */
  canceled: boolean;
  clientSecret: string | null;
}

export interface CustomerInput {
  id: string;
  email: string;
  name: string;
  /** What the provider returned the last time (stored in PaymentCustomer). */
  providerCustomerId: string | null;
}

export interface PlanInput {
  id: string;
  code: string;
  name: string;
  priceCents: number;
  currency: string;
  interval: BillingInterval;
  trialDays: number;
  /** The provider's price for this plan, if one was made before (Plan.stripePriceId). */
  providerPriceId: string | null;
}

export interface StartSubscriptionInput {
  /** Our Subscription row's id: the idempotency key of the provider call, and the webhook's way back to us. */
  localSubscriptionId: string;
  userId: string;
  providerCustomerId: string | null;
  plan: PlanInput;
  providerPriceId: string | null;
  paymentMethodId: string | null;
  now: Date;
}

export interface StartRentalPaymentInput {
  rentalId: string;
  userId: string;
  contentId: string;
  providerCustomerId: string | null;
  amountCents: number;
  currency: string;
  description: string;
  now: Date;
}

export interface PaymentProviderClient {
  readonly kind: PaymentProvider;
  /** The provider's customer for this user, created once (null when the provider has no customers). */
  ensureCustomer(customer: CustomerInput): Promise<string | null>;
  /** The provider's price for this plan, created once (null when the provider needs none). */
  ensurePlanPrice(plan: PlanInput): Promise<string | null>;
  startSubscription(input: StartSubscriptionInput): Promise<StartedSubscription>;
  /** The current state of a subscription started earlier (a retried `subscribe` of an incomplete one). */
  retrieveSubscription(providerSubscriptionId: string, current: SubscriptionSnapshot): Promise<StartedSubscription>;
  /** Asks the provider to end the subscription at the end of the current period. */
  cancelAtPeriodEnd(input: { localSubscriptionId: string; version: number; current: SubscriptionSnapshot }): Promise<SubscriptionSnapshot>;
  /** Ends a subscription now (used for an abandoned incomplete one). */
  cancelNow(current: SubscriptionSnapshot, now: Date): Promise<SubscriptionSnapshot>;
  startRentalPayment(input: StartRentalPaymentInput): Promise<PaymentSnapshot>;
  retrievePayment(providerPaymentId: string): Promise<PaymentSnapshot>;
}

/** A payment the provider declined (card declined, authentication failed): shown to the client as PAYMENT_REQUIRED. */
export class PaymentDeclinedError extends Error {}
