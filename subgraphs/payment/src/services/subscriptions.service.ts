// Subscribing and canceling. Permission checks live here: a caller subscribes and cancels only for itself.
import {
  BadUserInputError,
  ConflictError,
  NotFoundError,
  PaymentRequiredError,
  UnauthenticatedError,
  requireIdentity,
  type Identity,
  type Logger,
} from "@watchflixx/common";
import { SubscriptionStatus, type Plan, type PrismaClient, type Subscription } from "@watchflixx/db";
import { PaymentDeclinedError, type PaymentProviderClient } from "./providers/provider.ts";
import type { PlanInput, StartedSubscription } from "./providers/provider.ts";
import {
  applySubscriptionSnapshot,
  ENDED_STATUSES,
  isEnded,
  lockSubscription,
  lockUser,
  snapshotOf,
  upsertSubscriptionInvoice,
} from "./subscription-state.ts";

export interface SubscribeInputData {
  planId: string;
  paymentMethodId?: string | null;
}

/** A subscription as a mutation returns it: the row plus the client secret, when the client must confirm. */
export type SubscriptionResult = Subscription & { clientSecret: string | null };

export function planInput(plan: Plan): PlanInput {
  return {
    id: plan.id,
    code: plan.code,
    name: plan.name,
    priceCents: plan.priceCents,
    currency: plan.currency,
    interval: plan.interval,
    trialDays: plan.trialDays,
    providerPriceId: plan.stripePriceId,
  };
}

/** The provider's customer for this user, created once and remembered in payment's own PaymentCustomer row. */
export async function ensureProviderCustomer(db: PrismaClient, provider: PaymentProviderClient, userId: string): Promise<string | null> {
  const [user, known] = await Promise.all([
    db.user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true } }),
    db.paymentCustomer.findUnique({ where: { userId } }),
  ]);
  if (!user) throw new UnauthenticatedError("Your account no longer exists.");
  // A customer id of another provider (a switch from Stripe to the local one, or back) is not passed on.
  const remembered = known?.provider === provider.kind ? known.providerCustomerId : null;
  const customerId = await provider.ensureCustomer({ id: user.id, email: user.email, name: user.name, providerCustomerId: remembered });
  if (customerId && customerId !== remembered) {
    // The first one stored wins, as two checkouts at once may each have asked the provider.
    if (!known) await db.paymentCustomer.createMany({ data: { userId, provider: provider.kind, providerCustomerId: customerId }, skipDuplicates: true });
    else await db.paymentCustomer.updateMany({ where: { userId, version: known.version }, data: { provider: provider.kind, providerCustomerId: customerId, version: { increment: 1 }, syncedAt: new Date() } });
  }
  return customerId;
}

type Reservation = { kind: "new" | "resume"; row: Subscription; replaced: Subscription | null };

export class SubscriptionService {
  constructor(
    private readonly db: PrismaClient,
    private readonly provider: PaymentProviderClient,
    private readonly logger: Logger,
  ) {}

  async subscribe(identity: Identity | null, input: SubscribeInputData): Promise<SubscriptionResult> {
    const { db } = this;
    const caller = requireIdentity({ identity });
    const paymentMethodId = input.paymentMethodId?.trim() || null;
    if (paymentMethodId && paymentMethodId.length > 255) throw new BadUserInputError("paymentMethodId is too long.", "paymentMethodId");
    const plan = await db.plan.findUnique({ where: { id: input.planId } });
    if (!plan) throw new NotFoundError("Plan");
    if (!plan.active) throw new BadUserInputError("This plan is no longer offered.", "planId");

    // 1. Reserve: one live subscription per user, decided under a lock on the user's row.
    const reservation = await db.$transaction(async (tx): Promise<Reservation> => {
      if (!(await lockUser(tx, caller.userId))) throw new UnauthenticatedError("Your account no longer exists.");
      const live = await tx.subscription.findFirst({
        where: { userId: caller.userId, status: { notIn: ENDED_STATUSES } },
        orderBy: { createdAt: "desc" },
      });
      let replaced: Subscription | null = null;
      if (live) {
        // An incomplete subscription (payment never confirmed) is a checkout in progress: retrying it with the
        // same plan resumes it; choosing another plan abandons it.
        if (live.status !== SubscriptionStatus.INCOMPLETE || live.provider !== this.provider.kind) {
          throw new ConflictError(
            live.planId === plan.id
              ? "You are already subscribed to this plan."
              : "You already have a subscription. Cancel it before choosing another plan.",
          );
        }
        if (live.planId === plan.id) return { kind: "resume", row: live, replaced: null };
        replaced = live;
      }
      const now = new Date();
      const row = await tx.subscription.create({
        data: {
          userId: caller.userId,
          planId: plan.id,
          status: SubscriptionStatus.INCOMPLETE,
          provider: this.provider.kind,
          currentPeriodStart: now,
          currentPeriodEnd: now,
        },
      });
      if (replaced) {
        await tx.subscription.update({
          where: { id: replaced.id },
          data: { status: SubscriptionStatus.INCOMPLETE_EXPIRED, version: { increment: 1 } },
        });
      }
      return { kind: "new", row, replaced };
    });

    if (reservation.replaced?.providerSubscriptionId) {
      const abandoned = reservation.replaced;
      await this.provider.cancelNow(snapshotOf(abandoned), new Date()).catch((error: unknown) => {
        // It expires on its own at the provider (Stripe: after 23 hours); nothing depends on this call.
        this.logger.warn(`could not cancel abandoned subscription ${abandoned.id}`, error);
      });
    }

    // 2. Ask the provider (outside any transaction: it is a network call).
    let started: StartedSubscription;
    try {
      started = await this.startWithProvider(reservation, plan, caller.userId, paymentMethodId);
    } catch (error) {
      if (reservation.kind === "new") {
        await db.subscription.deleteMany({ where: { id: reservation.row.id, providerSubscriptionId: null } });
      }
      if (error instanceof PaymentDeclinedError) throw new PaymentRequiredError(error.message);
      throw error;
    }

    // 3. Record what the provider said, unless a webhook already told us something newer.
    const row = await db.$transaction(async (tx) => {
      const current = await lockSubscription(tx, reservation.row.id);
      if (!current) throw new NotFoundError("Subscription");
      let after = current;
      // A concurrent subscribe of the same checkout may have recorded it already; a webhook may know better.
      const alreadyRecorded = current.providerSubscriptionId !== null && current.status !== SubscriptionStatus.INCOMPLETE;
      if (!current.providerUpdatedAt && !alreadyRecorded) {
        after = await applySubscriptionSnapshot(tx, current, started.subscription);
      } else if (!current.providerSubscriptionId) {
        after = await tx.subscription.update({
          where: { id: current.id },
          data: { providerSubscriptionId: started.subscription.providerSubscriptionId, version: { increment: 1 } },
        });
      }
      if (started.invoice) await upsertSubscriptionInvoice(tx, after, started.invoice);
      return after;
    });
    const needsConfirmation = row.status === SubscriptionStatus.INCOMPLETE || started.clientSecret !== null;
    return { ...row, clientSecret: needsConfirmation ? started.clientSecret : null };
  }

  private async startWithProvider(
    reservation: Reservation,
    plan: Plan,
    userId: string,
    paymentMethodId: string | null,
  ): Promise<StartedSubscription> {
    const { row } = reservation;
    if (reservation.kind === "resume" && row.providerSubscriptionId) {
      return this.provider.retrieveSubscription(row.providerSubscriptionId, snapshotOf(row));
    }
    const customerId = await ensureProviderCustomer(this.db, this.provider, userId);
    const priceId = await this.provider.ensurePlanPrice(planInput(plan));
    if (priceId && priceId !== plan.stripePriceId) {
      await this.db.plan.updateMany({ where: { id: plan.id, stripePriceId: null }, data: { stripePriceId: priceId } });
    }
    return this.provider.startSubscription({
      localSubscriptionId: row.id,
      userId,
      providerCustomerId: customerId,
      plan: planInput(plan),
      providerPriceId: priceId,
      paymentMethodId,
      now: new Date(),
    });
  }

  /** Cancels at the end of the paid period: the subscription stays ACTIVE (and playable) until then. */
  async cancel(identity: Identity | null): Promise<SubscriptionResult> {
    const { db } = this;
    const caller = requireIdentity({ identity });
    const live = await db.subscription.findFirst({
      where: { userId: caller.userId, status: { notIn: ENDED_STATUSES } },
      orderBy: { createdAt: "desc" },
    });
    if (!live) throw new NotFoundError("Subscription");
    if (live.cancelAtPeriodEnd) return { ...live, clientSecret: null };

    // A checkout that was never paid has no period to run out: it ends now.
    if (live.status === SubscriptionStatus.INCOMPLETE) {
      const ended = live.providerSubscriptionId ? await this.provider.cancelNow(snapshotOf(live), new Date()) : null;
      const row = await db.$transaction(async (tx) => {
        const current = await lockSubscription(tx, live.id);
        if (!current) throw new NotFoundError("Subscription");
        return applySubscriptionSnapshot(tx, current, {
          ...snapshotOf(current),
          status: ended && isEnded(ended.status) ? ended.status : SubscriptionStatus.INCOMPLETE_EXPIRED,
          canceledAt: ended?.canceledAt ?? new Date(),
        });
      });
      return { ...row, clientSecret: null };
    }

    await this.provider.cancelAtPeriodEnd({ localSubscriptionId: live.id, version: live.version, current: snapshotOf(live) });
    const row = await db.$transaction(async (tx) => {
      const current = await lockSubscription(tx, live.id);
      if (!current) throw new NotFoundError("Subscription");
      if (current.cancelAtPeriodEnd || isEnded(current.status)) return current;
      // Only the cancellation itself: the provider's other fields may be older than a webhook applied meanwhile.
      return applySubscriptionSnapshot(tx, current, { ...snapshotOf(current), cancelAtPeriodEnd: true });
    });
    return { ...row, clientSecret: null };
  }
}
