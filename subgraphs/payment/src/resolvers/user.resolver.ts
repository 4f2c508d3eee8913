import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { SubgraphContext } from "@watchflixx/common";
import { BillingSubscription } from "../entities/billing-subscription.ts";
import { Invoice } from "../entities/invoice.ts";
import { Rental } from "../entities/rental.ts";
import { User } from "../entities/user.ts";
import type { Loaders } from "../loaders.ts";
import { invoicesOf, liveSubscriptionOf, rentalsOf } from "../services/billing-reads.service.ts";

type Context = SubgraphContext<Loaders>;

/** Billing fields answer for the caller only: another user's read as none. */
@Resolver(() => User)
export class UserBillingResolver {
  @FieldResolver(() => BillingSubscription, {
    nullable: true,
    description: "The live subscription (not CANCELED or INCOMPLETE_EXPIRED); null when there is none.",
  })
  subscription(@Root() user: User, @Ctx() context: Context): Promise<BillingSubscription | null> {
    return liveSubscriptionOf(context, user.id);
  }

  @FieldResolver(() => [Invoice], { description: "Newest first." })
  invoices(@Root() user: User, @Ctx() context: Context): Promise<Invoice[]> {
    return invoicesOf(context, user.id);
  }

  @FieldResolver(() => [Rental], { description: "Newest first, expired ones included." })
  rentals(@Root() user: User, @Ctx() context: Context): Promise<Rental[]> {
    return rentalsOf(context, user.id);
  }
}
