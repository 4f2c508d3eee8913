// How long a rental lasts and how it reads. The windows are payment's rules: a rental is watchable for 30 days
// from purchase until it is first played, then for 48 hours from that play, whichever ends first. Streaming
// only checks `expiresAt` when it plays, and records PlaybackStarted, from which payment starts the 48 hours
// (playback-events.ts).
import { RentalStatus } from "@watchflixx/db";

/** A rental is watchable for 48 hours from its first play... */
export const RENTAL_PLAY_WINDOW_MS = 48 * 60 * 60 * 1000;
/** ...and, never played, for 30 days from purchase. */
export const RENTAL_UNPLAYED_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

/** A new rental's end: 30 days after purchase, until a first play shortens it to 48 hours from then. */
export function unplayedRentalExpiry(purchasedAt: Date): Date {
  return new Date(purchasedAt.getTime() + RENTAL_UNPLAYED_WINDOW_MS);
}

/** A first-played rental's end: 48 hours from the first play, never later than 30 days after purchase. */
export function playedRentalExpiry(purchasedAt: Date, firstPlayedAt: Date): Date {
  return new Date(Math.min(unplayedRentalExpiry(purchasedAt).getTime(), firstPlayedAt.getTime() + RENTAL_PLAY_WINDOW_MS));
}

/** The status a client sees: a rental whose `expiresAt` has passed reads EXPIRED whatever its row says. */
export function effectiveRentalStatus(
  rental: { status: RentalStatus; expiresAt: Date; firstPlayedAt: Date | null },
  now: Date = new Date(),
): RentalStatus {
  if (rental.status === RentalStatus.EXPIRED || rental.expiresAt.getTime() <= now.getTime()) return RentalStatus.EXPIRED;
  return rental.firstPlayedAt ? RentalStatus.ACTIVE : rental.status;
}
