// Who may play what, read from the payment subgraph's tables (Subscription, Plan, Rental) in the shared
// database: nothing is copied. THE one place that decides entitlement: streaming (startPlayback) and social
// (party watch) both go through it.
import type { Prisma, PrismaClient, VideoQuality } from "@watchflixx/db";
import { AppError, ErrorCode, PaymentRequiredError } from "./errors.ts";

type Db = Pick<PrismaClient | Prisma.TransactionClient, "subscription" | "rental" | "viewingSession" | "$executeRaw">;

export const QUALITY_ORDER: readonly VideoQuality[] = ["SD", "HD", "UHD"];

export function qualityRank(quality: VideoQuality): number {
  return QUALITY_ORDER.indexOf(quality);
}

export function bestQuality(a: VideoQuality, b: VideoQuality): VideoQuality {
  return qualityRank(a) >= qualityRank(b) ? a : b;
}

/** A session with no heartbeat for this long no longer counts against the stream limit. */
export const STALE_SESSION_MS = 2 * 60 * 1000;
/** What a rental streams at, and how many at once, when there is no subscription. */
export const RENTAL_MAX_QUALITY: VideoQuality = "HD";
export const RENTAL_MAX_STREAMS = 1;

const ENTITLING_STATUSES = ["ACTIVE", "TRIALING"] as const;

export interface Entitlement {
  source: "SUBSCRIPTION" | "RENTAL";
  maxStreams: number;
  maxQuality: VideoQuality;
  subscriptionId: string | null;
  /**
   * The rental that entitles (only when there is no subscription). Streaming names it in PlaybackStarted, from
   * which payment starts the rental's 48-hour window on first play.
   */
  rentalId: string | null;
}

/**
 * An ACTIVE or TRIALING subscription whose current period has not ended (plan's streams and quality), or a
 * live, paid rental of this title (`expiresAt` in the future, its invoice PAID: 1 stream, HD). A subscription wins over a rental,
 * so playing a rented title with a subscription does not start the rental's clock.
 */
export async function findEntitlement(db: Db, userId: string, contentId: string, now: Date): Promise<Entitlement | null> {
  const [subscriptions, rental] = await Promise.all([
    db.subscription.findMany({
      where: { userId, status: { in: [...ENTITLING_STATUSES] }, currentPeriodEnd: { gt: now } },
      select: { id: true, plan: { select: { maxStreams: true, maxQuality: true } } },
    }),
    db.rental.findFirst({
      // Paid only: the payment subgraph writes a rental (PENDING, invoice OPEN) before the provider confirms
      // the payment, and marks its invoice PAID once it has.
      where: { userId, contentId, status: { in: ["PENDING", "ACTIVE"] }, expiresAt: { gt: now }, invoice: { is: { status: "PAID" } } },
      orderBy: { expiresAt: "desc" },
      // Its window (`expiresAt`) is payment's to set; a paid rental not yet first-played is live all the same.
      select: { id: true },
    }),
  ]);
  // Should a user hold two current subscriptions (a provider hiccup), the more generous plan applies.
  const subscription = subscriptions.sort((a, b) => b.plan.maxStreams - a.plan.maxStreams)[0];
  if (subscription) {
    return {
      source: "SUBSCRIPTION",
      maxStreams: subscription.plan.maxStreams,
      maxQuality: rental ? bestQuality(subscription.plan.maxQuality, RENTAL_MAX_QUALITY) : subscription.plan.maxQuality,
      subscriptionId: subscription.id,
      rentalId: null,
    };
  }
  if (rental) {
    return {
      source: "RENTAL",
      maxStreams: RENTAL_MAX_STREAMS,
      maxQuality: RENTAL_MAX_QUALITY,
      subscriptionId: null,
      rentalId: rental.id,
    };
  }
  return null;
}

export async function requireEntitlement(db: Db, userId: string, contentId: string, now: Date): Promise<Entitlement> {
  const entitlement = await findEntitlement(db, userId, contentId, now);
  if (!entitlement) throw new PaymentRequiredError("Playing this title needs an active subscription or a rental of it.");
  return entitlement;
}

/**
 * Serialises stream-limit checks of one account until the transaction ends: two startPlayback calls at once
 * count and insert one after the other, so together they can never exceed the limit. An advisory lock, so
 * that nothing else that touches the users row waits on playback.
 */
export async function lockAccountStreams(tx: Db, userId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`watchflixx:streams:${userId}`}, 0))`;
}

/** Sessions of the account that still count: not ended, heartbeat within the last 2 minutes. */
export async function liveStreamCount(db: Db, userId: string, now: Date, exceptSessionId?: string): Promise<number> {
  return db.viewingSession.count({
    where: {
      userId,
      endedAt: null,
      lastHeartbeatAt: { gt: new Date(now.getTime() - STALE_SESSION_MS) },
      ...(exceptSessionId ? { id: { not: exceptSessionId } } : {}),
    },
  });
}

/** Call with the account's streams locked: FORBIDDEN when another stream would exceed the limit. */
export async function requireFreeStream(db: Db, userId: string, entitlement: Entitlement, now: Date, exceptSessionId?: string): Promise<void> {
  const live = await liveStreamCount(db, userId, now, exceptSessionId);
  if (live >= entitlement.maxStreams) {
    throw new AppError(
      ErrorCode.FORBIDDEN,
      `Your ${entitlement.source === "RENTAL" ? "rental allows" : "plan allows"} ${entitlement.maxStreams} stream${entitlement.maxStreams === 1 ? "" : "s"} at a time; stop playback on another device first.`,
      { reason: "STREAM_LIMIT", maxStreams: entitlement.maxStreams },
    );
  }
}

/**
 * A title's rental price as `Content.rentalPrice` answers it (null when not for rent), from its `contents`
 * columns. Both the content subgraph (with the title it already read) and payment resolve the field, through
 * this one function, so the gateway can take it from whichever fetch it makes anyway.
 */
export function rentalPriceOfTitle(title: { rentalPriceCents: number | null; rentalCurrency: string | null }): { amountCents: number; currency: string } | null {
  if (title.rentalPriceCents === null || !title.rentalCurrency) return null;
  return { amountCents: title.rentalPriceCents, currency: title.rentalCurrency.toUpperCase() };
}
