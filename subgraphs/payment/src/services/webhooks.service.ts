// Stripe's webhooks, applied to our rows. Each event id is handled once: its ProcessedWebhookEvent row is
// written in the same transaction as the changes it causes, so a redelivered event (or two deliveries racing)
// finds the row and changes nothing. Stripe does not deliver in order: a subscription event older than the last
// one applied (`Subscription.providerUpdatedAt`) is ignored, and invoice states only move forward.
import Stripe from "stripe";
import type { Logger } from "@watchflixx/common";
import { InvoiceStatus, SubscriptionStatus, type Prisma, type PrismaClient, type Subscription } from "@watchflixx/db";
import {
  invoiceSnapshotFromStripe,
  invoiceSubscriptionId,
  METADATA,
  subscriptionSnapshotFromStripe,
} from "./providers/stripe.provider.ts";
import {
  applySubscriptionSnapshot,
  isStaleEvent,
  lockSubscription,
  markRentalPaid,
  recordPaymentFailed,
  recordRenewal,
  snapshotOf,
  upsertSubscriptionInvoice,
  voidRental,
} from "./subscription-state.ts";

type Tx = Prisma.TransactionClient;

export type WebhookOutcome = "processed" | "duplicate";

/** The signing secret is not configured: no delivery can be verified. */
export class WebhookNotConfiguredError extends Error {}
/** A forged, stale or missing (`unsigned`) signature: nothing was applied. */
export class WebhookSignatureError extends Error {
  constructor(
    message: string,
    readonly unsigned = false,
  ) {
    super(message);
  }
}

export interface WebhookVerification {
  /** `whsec_...`; without one every delivery is refused (webhooks are not configured). */
  secret: string | undefined;
  toleranceSeconds: number;
}

/** Statuses a paid invoice lifts a subscription out of (Stripe does the same on payment). */
const RECOVERED_BY_PAYMENT: SubscriptionStatus[] = [SubscriptionStatus.INCOMPLETE, SubscriptionStatus.PAST_DUE, SubscriptionStatus.UNPAID];
const FAILED_PAYMENT_MAKES_PAST_DUE: SubscriptionStatus[] = [SubscriptionStatus.ACTIVE, SubscriptionStatus.TRIALING];

const fromUnix = (seconds: number): Date => new Date(seconds * 1000);

export class StripeWebhookService {
  constructor(
    private readonly db: PrismaClient,
    private readonly logger: Logger,
    private readonly verification: WebhookVerification,
  ) {}

  /** One delivery as Stripe sends it: the raw body and its `stripe-signature` header, verified before anything is applied. */
  async receive(rawBody: Buffer | null, signature: string | undefined): Promise<WebhookOutcome> {
    const { secret, toleranceSeconds } = this.verification;
    if (!secret) throw new WebhookNotConfiguredError("Stripe webhooks are not configured (STRIPE_WEBHOOK_SECRET).");
    if (!signature || !rawBody) throw new WebhookSignatureError("Expected a signed JSON body.", true);
    let event: Stripe.Event;
    try {
      event = Stripe.webhooks.constructEvent(rawBody, signature, secret, toleranceSeconds);
    } catch (error) {
      throw new WebhookSignatureError(error instanceof Error ? error.message : String(error));
    }
    try {
      return await this.handle(event);
    } catch (error) {
      // Not acknowledged: Stripe delivers it again later, and nothing of it was kept.
      this.logger.error(`failed to handle Stripe event ${event.id} (${event.type})`, error);
      throw error;
    }
  }

  async handle(event: Stripe.Event): Promise<WebhookOutcome> {
    return this.db.$transaction(async (tx) => {
      // ON CONFLICT DO NOTHING: a concurrent delivery of the same id waits for the first one's commit, then
      // inserts nothing and is answered as a duplicate.
      const { count } = await tx.processedWebhookEvent.createMany({ data: [{ id: event.id, type: event.type }], skipDuplicates: true });
      if (count === 0) return "duplicate";
      await this.apply(tx, event);
      return "processed";
    });
  }

  private async apply(tx: Tx, event: Stripe.Event): Promise<void> {
    const created = fromUnix(event.created);
    switch (event.type) {
      case "customer.subscription.created":
      case "customer.subscription.updated":
      case "customer.subscription.deleted":
      case "customer.subscription.paused":
      case "customer.subscription.resumed":
        return this.onSubscriptionChanged(tx, event.data.object, created);
      case "invoice.paid":
        return this.onInvoicePaid(tx, event.data.object, created);
      case "invoice.payment_failed":
        return this.onInvoicePaymentFailed(tx, event.data.object, created);
      case "payment_intent.succeeded":
        return this.onPaymentIntent(tx, event.data.object, created, "succeeded");
      case "payment_intent.payment_failed":
        return this.onPaymentIntent(tx, event.data.object, created, "failed");
      case "payment_intent.canceled":
        return this.onPaymentIntent(tx, event.data.object, created, "canceled");
      default:
        this.logger.debug(`ignoring Stripe event ${event.type} (${event.id})`);
    }
  }

  /** Our row for a Stripe subscription: by its id, or (before subscribe has stored that id) by our metadata. */
  private async findSubscription(tx: Tx, stripeId: string, metadata: Stripe.Metadata | null | undefined): Promise<Subscription | null> {
    const byProviderId = await tx.subscription.findUnique({ where: { providerSubscriptionId: stripeId }, select: { id: true } });
    const localId = byProviderId?.id ?? metadata?.[METADATA.subscriptionId];
    if (!localId) return null;
    const row = await lockSubscription(tx, localId);
    if (!row || (row.providerSubscriptionId && row.providerSubscriptionId !== stripeId)) return null;
    return row;
  }

  private async onSubscriptionChanged(tx: Tx, subscription: Stripe.Subscription, created: Date): Promise<void> {
    const row = await this.findSubscription(tx, subscription.id, subscription.metadata);
    if (!row) {
      this.logger.warn(`Stripe subscription ${subscription.id} is not ours; event ignored`);
      return;
    }
    const next = subscriptionSnapshotFromStripe(subscription);
    if (isStaleEvent(row, created, next.status)) return;
    await applySubscriptionSnapshot(tx, row, next, { providerUpdatedAt: created, synced: true });
  }

  private async subscriptionOfInvoice(tx: Tx, invoice: Stripe.Invoice): Promise<Subscription | null> {
    const stripeId = invoiceSubscriptionId(invoice);
    if (!stripeId) return null;
    const row = await this.findSubscription(tx, stripeId, invoice.parent?.subscription_details?.metadata);
    if (!row) this.logger.warn(`invoice ${invoice.id} belongs to Stripe subscription ${stripeId}, which is not ours; ignored`);
    return row;
  }

  private async onInvoicePaid(tx: Tx, stripeInvoice: Stripe.Invoice, created: Date): Promise<void> {
    let row = await this.subscriptionOfInvoice(tx, stripeInvoice);
    if (!row) return;
    const snapshot = invoiceSnapshotFromStripe(stripeInvoice);
    const { invoice, becamePaid } = await upsertSubscriptionInvoice(tx, row, { ...snapshot, status: InvoiceStatus.PAID }, { synced: true });
    if (!isStaleEvent(row, created)) {
      const next = snapshotOf(row);
      if (RECOVERED_BY_PAYMENT.includes(row.status)) next.status = SubscriptionStatus.ACTIVE;
      // The period paid for, if it reaches further than the one we know (periods only move forward).
      if (snapshot.periodEnd && snapshot.periodStart && snapshot.periodEnd > row.currentPeriodEnd) {
        next.currentPeriodStart = snapshot.periodStart;
        next.currentPeriodEnd = snapshot.periodEnd;
      }
      row = await applySubscriptionSnapshot(tx, row, next, { providerUpdatedAt: created, synced: true });
    }
    if (becamePaid && stripeInvoice.billing_reason === "subscription_cycle") {
      const plan = await tx.plan.findUnique({ where: { id: row.planId }, select: { name: true } });
      await recordRenewal(tx, row, invoice, plan?.name ?? "");
    }
  }

  private async onInvoicePaymentFailed(tx: Tx, stripeInvoice: Stripe.Invoice, created: Date): Promise<void> {
    const row = await this.subscriptionOfInvoice(tx, stripeInvoice);
    if (!row) return;
    const snapshot = invoiceSnapshotFromStripe(stripeInvoice);
    const { invoice } = await upsertSubscriptionInvoice(tx, row, { ...snapshot, status: InvoiceStatus.OPEN, paidAt: null }, { synced: true });
    // Paid meanwhile (the failure was an earlier attempt, delivered late): nothing failed any more.
    if (invoice.status === InvoiceStatus.PAID) return;
    if (!isStaleEvent(row, created, SubscriptionStatus.PAST_DUE) && FAILED_PAYMENT_MAKES_PAST_DUE.includes(row.status)) {
      await applySubscriptionSnapshot(tx, row, { ...snapshotOf(row), status: SubscriptionStatus.PAST_DUE }, { providerUpdatedAt: created, synced: true });
    }
    await recordPaymentFailed(tx, {
      userId: row.userId,
      invoice,
      subscriptionId: row.id,
      reason: stripeInvoice.last_finalization_error?.message ?? null,
      nextPaymentAttemptAt: stripeInvoice.next_payment_attempt ? fromUnix(stripeInvoice.next_payment_attempt) : null,
    });
  }

  private async onPaymentIntent(
    tx: Tx,
    intent: Stripe.PaymentIntent,
    created: Date,
    outcome: "succeeded" | "failed" | "canceled",
  ): Promise<void> {
    const rentalId = intent.metadata?.[METADATA.rentalId];
    const rental =
      (await tx.rental.findUnique({ where: { providerPaymentId: intent.id } })) ??
      (rentalId ? await tx.rental.findUnique({ where: { id: rentalId } }) : null);
    // Payment intents of subscription invoices are handled through their invoice events.
    if (!rental) return;
    if (!rental.providerPaymentId) {
      await tx.rental.update({ where: { id: rental.id }, data: { providerPaymentId: intent.id, version: { increment: 1 } } });
    }
    if (outcome === "succeeded") {
      await markRentalPaid(tx, rental, created, { synced: true });
      return;
    }
    if (outcome === "canceled") {
      await voidRental(tx, rental, created);
      return;
    }
    const invoice = await tx.invoice.findUnique({ where: { rentalId: rental.id } });
    if (!invoice || invoice.status !== InvoiceStatus.OPEN) return;
    await recordPaymentFailed(tx, {
      userId: rental.userId,
      invoice,
      rentalId: rental.id,
      reason: intent.last_payment_error?.message ?? null,
    });
  }
}
