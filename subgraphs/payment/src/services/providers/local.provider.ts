// The built-in provider: no keys, no network. Payments always succeed at once, so a subscription is ACTIVE
// (TRIALING during a plan's trial) as soon as it starts, with a PAID invoice, and a rental is paid on purchase.
// What happens at a period's end (renewal, or the end of a canceled subscription) is settled in the database
// by local-billing.service.ts, through the same state machine that Stripe's webhooks drive.
import { PaymentProvider, type InvoiceStatus, type SubscriptionStatus } from "@watchflixx/db";
import { addBillingInterval, addDays } from "../periods.ts";
import type {
  CustomerInput,
  PaymentProviderClient,
  PaymentSnapshot,
  PlanInput,
  StartedSubscription,
  StartRentalPaymentInput,
  StartSubscriptionInput,
  SubscriptionSnapshot,
} from "./provider.ts";

const PAID: InvoiceStatus = "PAID";

export class LocalPaymentProvider implements PaymentProviderClient {
  readonly kind = PaymentProvider.LOCAL;

  async ensureCustomer(_customer: CustomerInput): Promise<string | null> {
    return null;
  }

  async ensurePlanPrice(_plan: PlanInput): Promise<string | null> {
    return null;
  }

  async startSubscription(input: StartSubscriptionInput): Promise<StartedSubscription> {
    const { plan, now } = input;
    const trialing = plan.trialDays > 0;
    const periodEnd = trialing ? addDays(now, plan.trialDays) : addBillingInterval(now, plan.interval);
    const status: SubscriptionStatus = trialing ? "TRIALING" : "ACTIVE";
    return {
      subscription: {
        providerSubscriptionId: `local_sub_${input.localSubscriptionId}`,
        status,
        currentPeriodStart: now,
        currentPeriodEnd: periodEnd,
        cancelAtPeriodEnd: false,
        canceledAt: null,
        trialEnd: trialing ? periodEnd : null,
      },
      invoice: {
        // One first invoice per subscription, however often a retried subscribe asks.
        providerInvoiceId: `local_in_${input.localSubscriptionId}_first`,
        // A trial starts with a zero invoice, as Stripe's does.
        amountCents: trialing ? 0 : plan.priceCents,
        currency: plan.currency,
        status: PAID,
        periodStart: now,
        periodEnd,
        issuedAt: now,
        paidAt: now,
      },
      clientSecret: null,
    };
  }

  async retrieveSubscription(_providerSubscriptionId: string, current: SubscriptionSnapshot): Promise<StartedSubscription> {
    return { subscription: current, invoice: null, clientSecret: null };
  }

  async cancelAtPeriodEnd(input: { current: SubscriptionSnapshot }): Promise<SubscriptionSnapshot> {
    return { ...input.current, cancelAtPeriodEnd: true };
  }

  async cancelNow(current: SubscriptionSnapshot, now: Date): Promise<SubscriptionSnapshot> {
    return { ...current, status: "CANCELED", canceledAt: now, cancelAtPeriodEnd: false };
  }

  async startRentalPayment(input: StartRentalPaymentInput): Promise<PaymentSnapshot> {
    return { providerPaymentId: `local_pi_${input.rentalId}`, succeeded: true, canceled: false, clientSecret: null };
  }

  async retrievePayment(providerPaymentId: string): Promise<PaymentSnapshot> {
    return { providerPaymentId, succeeded: true, canceled: false, clientSecret: null };
  }

  /** The next period of a local subscription whose current one has ended: the renewal's invoice is paid at once. */
  renew(localSubscriptionId: string, current: SubscriptionSnapshot, plan: PlanInput, at: Date): { subscription: SubscriptionSnapshot; invoice: StartedSubscription["invoice"] } {
    const periodStart = current.currentPeriodEnd;
    const periodEnd = addBillingInterval(periodStart, plan.interval);
    return {
      subscription: { ...current, status: "ACTIVE", currentPeriodStart: periodStart, currentPeriodEnd: periodEnd, trialEnd: current.trialEnd },
      invoice: {
        // One invoice per subscription and period: settling twice cannot bill twice.
        providerInvoiceId: `local_in_${localSubscriptionId}_${periodStart.toISOString()}`,
        amountCents: plan.priceCents,
        currency: plan.currency,
        status: PAID,
        periodStart,
        periodEnd,
        issuedAt: at,
        paidAt: at,
      },
    };
  }
}
