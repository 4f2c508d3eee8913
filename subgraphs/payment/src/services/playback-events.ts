// The payment consumer: streaming's PlaybackStarted starts a rental's first-play window, inside the consumer's
// transaction (startConsumer in @watchflixx/common marks the event processed by "payment" in the same
// transaction, so each event is applied once).
//
//   PlaybackStarted  entitlement RENTAL: the rental it names becomes ACTIVE, firstPlayedAt = startedAt and
//                    expiresAt = min(purchase + 30 days, startedAt + 48 hours), only while firstPlayedAt is
//                    null, so a later play (or the same event again) never moves the window.
//
// Until the event is applied the rental is still paid and unexpired, so streaming lets it play meanwhile.
import { eventPayload, type EventHandler } from "@watchflixx/common";
import { RentalStatus } from "@watchflixx/db";
import { playedRentalExpiry } from "./rental-rules.ts";

function dateOr(value: string | null | undefined, fallback: Date): Date {
  const date = value ? new Date(value) : null;
  return date && !Number.isNaN(date.getTime()) ? date : fallback;
}

export const playbackHandlers: Record<string, EventHandler> = {
  async PlaybackStarted(tx, event) {
    const payload = eventPayload(event, "PlaybackStarted");
    // Subscription plays, and events recorded before streaming named the rental, start no window.
    if (payload.entitlement !== "RENTAL" || !payload.rentalId) return;
    const rental = await tx.rental.findUnique({
      where: { id: payload.rentalId },
      select: { userId: true, contentId: true, purchasedAt: true, firstPlayedAt: true, status: true },
    });
    if (!rental || rental.userId !== payload.userId || rental.contentId !== payload.contentId) return;
    if (rental.firstPlayedAt !== null || rental.status === RentalStatus.EXPIRED) return;
    const startedAt = dateOr(payload.startedAt, event.createdAt);
    await tx.rental.updateMany({
      // firstPlayedAt null again under the row lock: two first plays applied at once set the window once.
      where: { id: payload.rentalId, firstPlayedAt: null },
      data: {
        status: RentalStatus.ACTIVE,
        firstPlayedAt: startedAt,
        expiresAt: playedRentalExpiry(rental.purchasedAt, startedAt),
        version: { increment: 1 },
      },
    });
  },
};
