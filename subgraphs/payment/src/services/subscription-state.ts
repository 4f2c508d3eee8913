// The billing state machine, shared by every path that changes a subscription, an invoice or a rental's payment:
// the local provider, the answers of Stripe's API, and Stripe's webhooks. Each function runs inside the caller's
// transaction and records the ServiceEvents of the transitions it makes in that same transaction, so an event
// exists if and only if the change does, and is written once per transition (never per replay).
import { recordEvent } from "@watchflixx/common";
import {
  InvoiceStatus,
  RentalStatus,
  SubscriptionStatus,
  type Invoice,
  type Prisma,
  type Rental,
  type Subscription,
} from "@watchflixx/db";
import type { InvoiceSnapshot, SubscriptionSnapshot } from "./providers/provider.ts";

type Tx = Prisma.TransactionClient;

/** A subscription in one of these states is over; any other is the user's live subscription. */
export const ENDED_STATUSES: SubscriptionStatus[] = [SubscriptionStatus.CANCELED, SubscriptionStatus.INCOMPLETE_EXPIRED];

export function isEnded(status: SubscriptionStatus): boolean {
  return ENDED_STATUSES.includes(status);
}

const PLAYABLE: SubscriptionStatus[] = [SubscriptionStatus.ACTIVE, SubscriptionStatus.TRIALING];

/**
 * Serialises concurrent changes to one user's billing (a transaction-scoped advisory lock: the users table is
 * auth's, payment takes no lock on its rows); false when the account no longer exists.
 */
export async function lockUser(tx: Tx, userId: string): Promise<boolean> {
  await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtextextended(${`payment:billing:${userId}`}, 0))`;
  return (await tx.user.count({ where: { id: userId } })) > 0;
}

/** Row lock of one subscription. */
export async function lockSubscription(tx: Tx, id: string): Promise<Subscription | null> {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM subscriptions WHERE id = ${id} FOR NO KEY UPDATE`;
  if (rows.length === 0) return null;
  return tx.subscription.findUnique({ where: { id } });
}

export function snapshotOf(row: Subscription): SubscriptionSnapshot {
  return {
    providerSubscriptionId: row.providerSubscriptionId ?? `pending_${row.id}`,
    status: row.status,
    currentPeriodStart: row.currentPeriodStart,
    currentPeriodEnd: row.currentPeriodEnd,
    cancelAtPeriodEnd: row.cancelAtPeriodEnd,
    canceledAt: row.canceledAt,
    trialEnd: row.trialEnd,
  };
}

/**
 * Whether a provider event created at `eventCreated` is older than what we already applied. Stripe's clock has
 * one-second resolution: an event from the same second as the last one applied is taken unless it would move
 * the subscription backwards (out of an ended state, or back to INCOMPLETE).
 */
export function isStaleEvent(row: Subscription, eventCreated: Date, nextStatus?: SubscriptionStatus): boolean {
  if (!row.providerUpdatedAt) return false;
  if (eventCreated.getTime() < row.providerUpdatedAt.getTime()) return true;
  if (eventCreated.getTime() === row.providerUpdatedAt.getTime() && nextStatus) {
    if (isEnded(row.status) && !isEnded(nextStatus)) return true;
    if (nextStatus === SubscriptionStatus.INCOMPLETE && row.status !== SubscriptionStatus.INCOMPLETE) return true;
  }
  return false;
}

export interface ApplyOptions {
  /** When the provider's state was observed (a webhook event's `created`); newer than anything applied so far. */
  providerUpdatedAt?: Date;
  /** The change came from the provider asynchronously (webhook, settlement): stamps `syncedAt`. */
  synced?: boolean;
}

/** Writes a provider snapshot onto our row and records the events of the transitions it makes. */
export async function applySubscriptionSnapshot(
  tx: Tx,
  before: Subscription,
  next: SubscriptionSnapshot,
  options: ApplyOptions = {},
): Promise<Subscription> {
  const now = new Date();
  const after = await tx.subscription.update({
    where: { id: before.id },
    data: {
      providerSubscriptionId: next.providerSubscriptionId.startsWith("pending_") ? before.providerSubscriptionId : next.providerSubscriptionId,
      status: next.status,
      currentPeriodStart: next.currentPeriodStart,
      currentPeriodEnd: next.currentPeriodEnd,
      cancelAtPeriodEnd: next.cancelAtPeriodEnd,
      canceledAt: next.canceledAt,
      trialEnd: next.trialEnd,
      ...(options.providerUpdatedAt ? { providerUpdatedAt: options.providerUpdatedAt } : {}),
      ...(options.synced ? { syncedAt: now } : {}),
      version: { increment: 1 },
    },
  });
  await recordSubscriptionTransitions(tx, before, after);
  return after;
}

async function recordSubscriptionTransitions(tx: Tx, before: Subscription, after: Subscription): Promise<void> {
  const base = { userId: after.userId, subscriptionId: after.id, planId: after.planId, provider: after.provider };
  if (before.status === SubscriptionStatus.INCOMPLETE && PLAYABLE.includes(after.status)) {
    await recordEvent(tx, {
      eventType: "SubscriptionActivated",
      service: "payment",
      aggregateType: "subscription",
      aggregateId: after.id,
      payload: { ...base, status: after.status, currentPeriodEnd: after.currentPeriodEnd.toISOString() },
    });
  }
  const cancellationRequested = !before.cancelAtPeriodEnd && after.cancelAtPeriodEnd && !isEnded(after.status);
  // An end nobody announced (Stripe gave up on payment, or canceled at once); a never-paid subscription is not news.
  const endedUnannounced =
    !isEnded(before.status) &&
    after.status === SubscriptionStatus.CANCELED &&
    !before.cancelAtPeriodEnd &&
    before.status !== SubscriptionStatus.INCOMPLETE;
  if (cancellationRequested || endedUnannounced) {
    await recordEvent(tx, {
      eventType: "SubscriptionCanceled",
      service: "payment",
      aggregateType: "subscription",
      aggregateId: after.id,
      payload: {
        ...base,
        cancelAtPeriodEnd: cancellationRequested,
        endsAt: (cancellationRequested ? after.currentPeriodEnd : (after.canceledAt ?? new Date())).toISOString(),
      },
    });
  }
}

const INVOICE_RANK: Record<InvoiceStatus, number> = {
  [InvoiceStatus.DRAFT]: 0,
  [InvoiceStatus.OPEN]: 1,
  [InvoiceStatus.UNCOLLECTIBLE]: 2,
  [InvoiceStatus.PAID]: 3,
  [InvoiceStatus.VOID]: 3,
};

export interface InvoiceChange {
  invoice: Invoice;
  /** The invoice was not PAID before this change and is now. */
  becamePaid: boolean;
}

/**
 * Creates or updates our copy of a provider invoice. Invoice states only move forward (OPEN → PAID, never
 * back), so a late `invoice.payment_failed` cannot reopen a paid invoice.
 */
export async function upsertSubscriptionInvoice(
  tx: Tx,
  subscription: Subscription,
  snapshot: InvoiceSnapshot,
  options: ApplyOptions = {},
): Promise<InvoiceChange> {
  const existing = await tx.invoice.findUnique({ where: { providerInvoiceId: snapshot.providerInvoiceId } });
  if (!existing) {
    const invoice = await tx.invoice.create({
      data: {
        userId: subscription.userId,
        subscriptionId: subscription.id,
        amountCents: snapshot.amountCents,
        currency: snapshot.currency,
        status: snapshot.status,
        providerInvoiceId: snapshot.providerInvoiceId,
        periodStart: snapshot.periodStart,
        periodEnd: snapshot.periodEnd,
        issuedAt: snapshot.issuedAt,
        paidAt: snapshot.paidAt,
      },
    });
    return { invoice, becamePaid: snapshot.status === InvoiceStatus.PAID };
  }
  if (INVOICE_RANK[snapshot.status] <= INVOICE_RANK[existing.status]) return { invoice: existing, becamePaid: false };
  const invoice = await tx.invoice.update({
    where: { id: existing.id },
    data: {
      status: snapshot.status,
      amountCents: snapshot.amountCents,
      paidAt: snapshot.paidAt,
      periodStart: snapshot.periodStart ?? existing.periodStart,
      periodEnd: snapshot.periodEnd ?? existing.periodEnd,
      ...(options.synced ? { syncedAt: new Date() } : {}),
      version: { increment: 1 },
    },
  });
  return { invoice, becamePaid: snapshot.status === InvoiceStatus.PAID };
}

export async function recordRenewal(tx: Tx, subscription: Subscription, invoice: Invoice, planName: string): Promise<void> {
  await recordEvent(tx, {
    eventType: "SubscriptionRenewed",
    service: "payment",
    aggregateType: "subscription",
    aggregateId: subscription.id,
    payload: {
      userId: subscription.userId,
      subscriptionId: subscription.id,
      planId: subscription.planId,
      planName,
      invoiceId: invoice.id,
      amountCents: invoice.amountCents,
      currency: invoice.currency,
      currentPeriodEnd: subscription.currentPeriodEnd.toISOString(),
    },
  });
}

export interface PaymentFailure {
  userId: string;
  invoice: Invoice;
  subscriptionId?: string | null;
  rentalId?: string | null;
  reason?: string | null;
  nextPaymentAttemptAt?: Date | null;
}

export async function recordPaymentFailed(tx: Tx, failure: PaymentFailure): Promise<void> {
  const aggregate = failure.subscriptionId
    ? { aggregateType: "subscription", aggregateId: failure.subscriptionId }
    : { aggregateType: "rental", aggregateId: failure.rentalId ?? failure.invoice.id };
  await recordEvent(tx, {
    eventType: "PaymentFailed",
    service: "payment",
    ...aggregate,
    payload: {
      userId: failure.userId,
      subscriptionId: failure.subscriptionId ?? null,
      rentalId: failure.rentalId ?? null,
      invoiceId: failure.invoice.id,
      amountCents: failure.invoice.amountCents,
      currency: failure.invoice.currency,
      reason: failure.reason ?? null,
      nextPaymentAttemptAt: failure.nextPaymentAttemptAt?.toISOString() ?? null,
    },
  });
}

/** A rental's payment went through: its invoice is PAID and the purchase is announced (once). */
export async function markRentalPaid(tx: Tx, rental: Rental, paidAt: Date, options: ApplyOptions = {}): Promise<boolean> {
  const { count } = await tx.invoice.updateMany({
    where: { rentalId: rental.id, status: { notIn: [InvoiceStatus.PAID, InvoiceStatus.VOID] } },
    data: { status: InvoiceStatus.PAID, paidAt, ...(options.synced ? { syncedAt: new Date() } : {}), version: { increment: 1 } },
  });
  if (count === 0) return false;
  await recordEvent(tx, {
    eventType: "RentalPurchased",
    service: "payment",
    aggregateType: "rental",
    aggregateId: rental.id,
    payload: {
      userId: rental.userId,
      rentalId: rental.id,
      contentId: rental.contentId,
      amountCents: rental.priceCents,
      currency: rental.currency,
      expiresAt: rental.expiresAt.toISOString(),
    },
  });
  return true;
}

/** A rental's payment can no longer succeed: the invoice is void and the rental over. */
export async function voidRental(tx: Tx, rental: Rental, at: Date): Promise<boolean> {
  const { count } = await tx.invoice.updateMany({
    where: { rentalId: rental.id, status: { in: [InvoiceStatus.DRAFT, InvoiceStatus.OPEN] } },
    data: { status: InvoiceStatus.VOID, syncedAt: at, version: { increment: 1 } },
  });
  if (count === 0) return false;
  await tx.rental.update({
    where: { id: rental.id },
    data: {
      status: RentalStatus.EXPIRED,
      expiresAt: at < rental.expiresAt ? at : rental.expiresAt,
      syncedAt: at,
      version: { increment: 1 },
    },
  });
  return true;
}
