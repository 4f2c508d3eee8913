// The local provider's clock: what Stripe does at the end of a billing period, done in the database. A
// subscription set to cancel at period end is CANCELED then; any other live local subscription is renewed
// (new period, PAID invoice, SubscriptionRenewed). Run periodically by the subgraph and safe to run anywhere,
// any number of times: each subscription is settled under a row lock and only while its period has ended.
import type { Logger } from "@watchflixx/common";
import { PaymentProvider, SubscriptionStatus, type PrismaClient } from "@watchflixx/db";
import { LocalPaymentProvider } from "./providers/local.provider.ts";
import { applySubscriptionSnapshot, lockSubscription, recordRenewal, snapshotOf, upsertSubscriptionInvoice } from "./subscription-state.ts";
import { planInput } from "./subscriptions.service.ts";

const SETTLED_STATUSES: SubscriptionStatus[] = [SubscriptionStatus.ACTIVE, SubscriptionStatus.TRIALING, SubscriptionStatus.PAST_DUE];
/** Renewals per subscription per run: a stack that was down for years catches up over several runs. */
const MAX_PERIODS_PER_RUN = 24;
const BATCH = 100;

export interface SettlementSummary {
  renewed: number;
  canceled: number;
}

export async function settleLocalSubscriptions(db: PrismaClient, now: Date = new Date(), logger?: Logger): Promise<SettlementSummary> {
  const local = new LocalPaymentProvider();
  const summary: SettlementSummary = { renewed: 0, canceled: 0 };
  const due = await db.subscription.findMany({
    where: { provider: PaymentProvider.LOCAL, status: { in: SETTLED_STATUSES }, currentPeriodEnd: { lte: now } },
    select: { id: true },
    orderBy: { currentPeriodEnd: "asc" },
    take: BATCH,
  });
  for (const { id } of due) {
    try {
      await db.$transaction(async (tx) => {
        let row = await lockSubscription(tx, id);
        if (!row || !SETTLED_STATUSES.includes(row.status) || row.currentPeriodEnd > now) return;
        const plan = await tx.plan.findUniqueOrThrow({ where: { id: row.planId } });
        if (row.cancelAtPeriodEnd) {
          await applySubscriptionSnapshot(
            tx,
            row,
            { ...snapshotOf(row), status: SubscriptionStatus.CANCELED, canceledAt: row.currentPeriodEnd },
            { synced: true },
          );
          summary.canceled += 1;
          return;
        }
        for (let period = 0; period < MAX_PERIODS_PER_RUN && row.currentPeriodEnd <= now; period += 1) {
          const next = local.renew(row.id, snapshotOf(row), planInput(plan), row.currentPeriodEnd);
          row = await applySubscriptionSnapshot(tx, row, next.subscription, { synced: true });
          if (next.invoice) {
            const { invoice, becamePaid } = await upsertSubscriptionInvoice(tx, row, next.invoice, { synced: true });
            if (becamePaid) await recordRenewal(tx, row, invoice, plan.name);
          }
          summary.renewed += 1;
        }
      });
    } catch (error) {
      logger?.error(`could not settle local subscription ${id}`, error);
    }
  }
  return summary;
}
