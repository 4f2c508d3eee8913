import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { BillingSubscription } from "../entities/billing-subscription.ts";
import { Invoice } from "../entities/invoice.ts";
import { Rental } from "../entities/rental.ts";
import { User } from "../entities/user.ts";
import type { BillingReadsService } from "../services/billing-reads.service.ts";
import { readerOf, type Context } from "./context.ts";

/** Billing fields answer for the caller only: another user's read as none. */
@Resolver(() => User)
export class UserBillingResolver {
  constructor(private readonly reads: BillingReadsService) {}

  @FieldResolver(() => BillingSubscription, {
    nullable: true,
    description: "The live subscription (not CANCELED or INCOMPLETE_EXPIRED); null when there is none.",
  })
  subscription(@Root() user: User, @Ctx() context: Context): Promise<BillingSubscription | null> {
    return this.reads.liveSubscriptionOf(readerOf(context), user.id);
  }

  @FieldResolver(() => [Invoice], { description: "Newest first." })
  invoices(@Root() user: User, @Ctx() context: Context): Promise<Invoice[]> {
    return this.reads.invoicesOf(readerOf(context), user.id);
  }

  @FieldResolver(() => [Rental], { description: "Newest first, expired ones included." })
  rentals(@Root() user: User, @Ctx() context: Context): Promise<Rental[]> {
    return this.reads.rentalsOf(readerOf(context), user.id);
  }
}
