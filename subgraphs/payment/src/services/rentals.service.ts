// Renting a title: 30 days to start watching, 48 hours from the first play (windows in @watchflixx/common's
// entitlement.ts). The rental is written first (PENDING, with an OPEN invoice), then paid through the provider: the
// local provider pays at once; Stripe returns a payment intent for the client to confirm, and its webhook marks
// the invoice PAID.
import {
  BadUserInputError,
  ConflictError,
  NotFoundError,
  PaymentRequiredError,
  UnauthenticatedError,
  requireIdentity,
  type Identity,
} from "@watchflixx/common";
import { InvoiceStatus, RentalStatus, type PrismaClient, type Rental } from "@watchflixx/db";
import { PaymentDeclinedError, type PaymentProviderClient, type PaymentSnapshot } from "./providers/provider.ts";
import { unplayedRentalExpiry } from "./rental-rules.ts";
import { lockUser, markRentalPaid, voidRental } from "./subscription-state.ts";
import { ensureProviderCustomer } from "./subscriptions.service.ts";

export type RentalResult = Rental & { clientSecret: string | null };

type Reservation = { kind: "new" | "resume"; rental: Rental };

export class RentalService {
  constructor(
    private readonly db: PrismaClient,
    private readonly provider: PaymentProviderClient,
  ) {}

  async rentContent(identity: Identity | null, contentId: string): Promise<RentalResult> {
    const { db } = this;
    const caller = requireIdentity({ identity });
    const content = await db.content.findUnique({
      where: { id: contentId },
      select: { id: true, title: true, publishedAt: true, rentalPriceCents: true, rentalCurrency: true },
    });
    if (!content || (!content.publishedAt && caller.role !== "STAFF")) throw new NotFoundError("Content");
    if (content.rentalPriceCents === null || !content.rentalCurrency) {
      throw new BadUserInputError("This title is not available to rent.", "contentId");
    }
    const priceCents = content.rentalPriceCents;
    const currency = content.rentalCurrency.toUpperCase();

    const reservation = await db.$transaction(async (tx): Promise<Reservation> => {
      if (!(await lockUser(tx, caller.userId))) throw new UnauthenticatedError("Your account no longer exists.");
      const now = new Date();
      const live = await tx.rental.findFirst({
        where: { userId: caller.userId, contentId, status: { not: RentalStatus.EXPIRED }, expiresAt: { gt: now } },
        include: { invoice: true },
        orderBy: { purchasedAt: "desc" },
      });
      if (live) {
        // Paid: nothing more to buy. Not paid yet (a Stripe payment awaiting confirmation, or another request's
        // payment still in flight, since this lock is released before the provider call): the same purchase
        // again. The provider call is keyed by the rental's id, so resuming it can never charge twice.
        if (live.invoice?.status === InvoiceStatus.PAID) throw new ConflictError("You are already renting this title.");
        if (live.provider === this.provider.kind) {
          const { invoice: _invoice, ...rental } = live;
          return { kind: "resume", rental };
        }
      }
      const rental = await tx.rental.create({
        data: {
          userId: caller.userId,
          contentId,
          priceCents,
          currency,
          status: RentalStatus.PENDING,
          provider: this.provider.kind,
          purchasedAt: now,
          expiresAt: unplayedRentalExpiry(now),
        },
      });
      await tx.invoice.create({
        data: { userId: caller.userId, rentalId: rental.id, amountCents: priceCents, currency, status: InvoiceStatus.OPEN, issuedAt: now },
      });
      return { kind: "new", rental };
    });

    let payment: PaymentSnapshot;
    const { rental } = reservation;
    try {
      if (reservation.kind === "resume" && rental.providerPaymentId) {
        payment = await this.provider.retrievePayment(rental.providerPaymentId);
      } else {
        const customerId = await ensureProviderCustomer(db, this.provider, caller.userId);
        payment = await this.provider.startRentalPayment({
          rentalId: rental.id,
          userId: caller.userId,
          contentId,
          providerCustomerId: customerId,
          amountCents: priceCents,
          currency,
          description: `WatchFlixx rental: ${content.title}`,
          now: new Date(),
        });
      }
    } catch (error) {
      if (!rental.providerPaymentId) {
        // Nothing was bought: leave no rental and no invoice behind (nor a reservation whose payment never started).
        await db.$transaction([
          db.invoice.deleteMany({ where: { rentalId: rental.id } }),
          db.rental.deleteMany({ where: { id: rental.id, providerPaymentId: null } }),
        ]);
      }
      if (error instanceof PaymentDeclinedError) throw new PaymentRequiredError(error.message);
      throw error;
    }

    const row = await db.$transaction(async (tx) => {
      const current =
        rental.providerPaymentId === payment.providerPaymentId
          ? rental
          : await tx.rental.update({
              where: { id: rental.id },
              data: { providerPaymentId: payment.providerPaymentId, version: { increment: 1 } },
            });
      if (payment.succeeded) await markRentalPaid(tx, current, new Date());
      else if (payment.canceled) await voidRental(tx, current, new Date());
      return tx.rental.findUniqueOrThrow({ where: { id: rental.id } });
    });
    return { ...row, clientSecret: payment.succeeded || payment.canceled ? null : payment.clientSecret };
  }
}
