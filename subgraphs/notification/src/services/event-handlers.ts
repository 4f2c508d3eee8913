// The notification consumer: events from other services become notifications (and emails), inside the
// consumer's transaction (startConsumer in @watchflixx/common marks the event processed by "notification" in
// the same transaction, so each event notifies once). Live delivery to `notificationAdded` happens after the
// commit. Every notification carries its event's id (sourceEventId), so a replay could not notify twice either.
//
//   EpisodeAdded         NEW_EPISODE to every profile with the series on its watchlist
//   PaymentFailed        PAYMENT_FAILED to the account, and an email
//   SubscriptionRenewed  SUBSCRIPTION_RENEWED to the account, and an email unless it turned them off
//   PartyWatchStarted    PARTY_INVITE to the host's profile: the invite code to share
import { NotificationType, type Prisma } from "@watchflixx/db";
import { effectiveMaturityLimit, eventPayload, isAllowed, type RecordedEvent, type EventHandler, type HandlerContext } from "@watchflixx/common";
import { queueEmail, recipientOf, type EmailSender } from "./email-outbox.ts";
import { insertNotifications, type NewNotification, type NotificationRecord, type NotificationService } from "./notification.service.ts";

export function formatMoney(amountCents: number, currency: string): string {
  return new Intl.NumberFormat("en", { style: "currency", currency: currency.toUpperCase() }).format(amountCents / 100);
}

function formatDay(iso: string | null | undefined): string | null {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date.toISOString().slice(0, 10);
}

async function contentTitle(tx: Prisma.TransactionClient, contentId: string): Promise<string | null> {
  return (await tx.content.findUnique({ where: { id: contentId }, select: { title: true } }))?.title ?? null;
}

async function userExists(tx: Prisma.TransactionClient, userId: string): Promise<boolean> {
  return (await tx.user.count({ where: { id: userId } })) > 0;
}

type Effect = (tx: Prisma.TransactionClient, event: RecordedEvent) => Promise<{ notifications: NotificationRecord[]; email: boolean }>;

const effects: Record<string, Effect> = {
  async EpisodeAdded(tx, event) {
    const episode = eventPayload(event, "EpisodeAdded");
    const [watching, title] = await Promise.all([
      tx.watchlist.findMany({
        where: { contentId: episode.contentId },
        select: { profile: { select: { id: true, userId: true, isKids: true, maturityRating: true } } },
      }),
      tx.content.findUnique({ where: { id: episode.contentId }, select: { maturityRating: true } }),
    ]);
    // A profile whose limit was lowered after it saved the title is not told about it (streaming hides the title
    // from its watchlist too).
    const watchers = title ? watching.filter(({ profile }) => isAllowed(title.maturityRating, effectiveMaturityLimit(profile))) : [];
    const where = episode.seasonNumber != null && episode.episodeNumber != null ? `S${episode.seasonNumber}E${episode.episodeNumber}` : "A new episode";
    const name = episode.episodeTitle ? `${where} "${episode.episodeTitle}"` : where;
    const notifications: NewNotification[] = watchers.map(({ profile }) => ({
      userId: profile.userId,
      profileId: profile.id,
      type: NotificationType.NEW_EPISODE,
      title: `New episode of ${episode.contentTitle}`,
      body: `${name} is now available.`,
      data: { contentId: episode.contentId, episodeId: episode.episodeId },
      source: event,
    }));
    return { notifications: await insertNotifications(tx, notifications), email: false };
  },

  async PaymentFailed(tx, event) {
    const failure = eventPayload(event, "PaymentFailed");
    if (!(await userExists(tx, failure.userId))) return { notifications: [], email: false };
    const amount = formatMoney(failure.amountCents, failure.currency);
    const what = failure.subscriptionId ? "your subscription" : "your rental";
    const retry = formatDay(failure.nextPaymentAttemptAt);
    const body =
      `We could not charge ${amount} for ${what}${failure.reason ? ` (${failure.reason})` : ""}. ` +
      (retry ? `We will try again on ${retry}; ` : "") +
      "update your payment method to keep watching.";
    const notifications = await insertNotifications(tx, [
      {
        userId: failure.userId,
        type: NotificationType.PAYMENT_FAILED,
        title: "Payment failed",
        body,
        data: { subscriptionId: failure.subscriptionId ?? null, rentalId: failure.rentalId ?? null, invoiceId: failure.invoiceId ?? null },
        source: event,
      },
    ]);
    const to = await recipientOf(tx, failure.userId, "essential");
    if (to) await queueEmail(tx, { to, subject: "Your WatchFlixx payment failed", body, sourceEventId: String(event.id) });
    return { notifications, email: to !== null };
  },

  async SubscriptionRenewed(tx, event) {
    const renewal = eventPayload(event, "SubscriptionRenewed");
    if (!(await userExists(tx, renewal.userId))) return { notifications: [], email: false };
    const amount = formatMoney(renewal.amountCents, renewal.currency);
    const next = formatDay(renewal.currentPeriodEnd);
    const body = `Your ${renewal.planName ?? "WatchFlixx"} plan renewed for ${amount}.${next ? ` Next renewal on ${next}.` : ""}`;
    const notifications = await insertNotifications(tx, [
      {
        userId: renewal.userId,
        type: NotificationType.SUBSCRIPTION_RENEWED,
        title: "Subscription renewed",
        body,
        data: { subscriptionId: renewal.subscriptionId },
        source: event,
      },
    ]);
    const to = await recipientOf(tx, renewal.userId, "optional");
    if (to) await queueEmail(tx, { to, subject: "Your WatchFlixx subscription renewed", body, sourceEventId: String(event.id) });
    return { notifications, email: to !== null };
  },

  async PartyWatchStarted(tx, event) {
    const party = eventPayload(event, "PartyWatchStarted");
    const host = await tx.profile.findUnique({ where: { id: party.hostProfileId }, select: { id: true, userId: true } });
    if (!host) return { notifications: [], email: false };
    const title = await contentTitle(tx, party.contentId);
    const notifications = await insertNotifications(tx, [
      {
        userId: host.userId,
        profileId: host.id,
        type: NotificationType.PARTY_INVITE,
        title: "Your watch party is ready",
        body: `Share invite code ${party.inviteCode} so friends can join you${title ? ` for ${title}` : ""}.`,
        data: { partyId: party.sessionId, inviteCode: party.inviteCode, contentId: party.contentId },
        source: event,
      },
    ]);
    return { notifications, email: false };
  },
};

/** One handler per type notification `consumes` in microservices.config.json. */
export function createEventHandlers(notifications: NotificationService, email: EmailSender): Record<string, EventHandler> {
  return Object.fromEntries(
    Object.entries(effects).map(([type, effect]): [string, EventHandler] => [
      type,
      async (tx: Prisma.TransactionClient, event: RecordedEvent, context: HandlerContext) => {
        const outcome = await effect(tx, event);
        context.afterCommit(async () => {
          await notifications.publish(outcome.notifications);
          if (outcome.email) email.wake();
        });
      },
    ]),
  );
}
