// How a rental reads. The windows themselves (30 days unplayed, 48 hours from first play, whichever ends first)
// are @watchflixx/common's entitlement rules, which streaming applies on first play.
import { RENTAL_UNPLAYED_WINDOW_MS } from "@watchflixx/common";
import { RentalStatus } from "@watchflixx/db";

/** A new rental's end: 30 days after purchase, until a first play shortens it to 48 hours from then. */
export function unplayedRentalExpiry(purchasedAt: Date): Date {
  return new Date(purchasedAt.getTime() + RENTAL_UNPLAYED_WINDOW_MS);
}

/** The status a client sees: a rental whose `expiresAt` has passed reads EXPIRED whatever its row says. */
export function effectiveRentalStatus(
  rental: { status: RentalStatus; expiresAt: Date; firstPlayedAt: Date | null },
  now: Date = new Date(),
): RentalStatus {
  if (rental.status === RentalStatus.EXPIRED || rental.expiresAt.getTime() <= now.getTime()) return RentalStatus.EXPIRED;
  return rental.firstPlayedAt ? RentalStatus.ACTIVE : rental.status;
}
