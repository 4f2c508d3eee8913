import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { SubgraphContext } from "@watchflixx/common";
import { BillingSubscription } from "../entities/billing-subscription.ts";
import { Invoice } from "../entities/invoice.ts";
import { Rental } from "../entities/rental.ts";
import type { Loaders } from "../loaders.ts";
import { rentalById, subscriptionById } from "../services/billing-reads.service.ts";

type Context = SubgraphContext<Loaders>;

@Resolver(() => Invoice)
export class InvoiceResolver {
  @FieldResolver(() => BillingSubscription, { nullable: true, description: "The subscription billed, for a subscription invoice." })
  subscription(@Root() invoice: Invoice, @Ctx() context: Context): Promise<BillingSubscription | null> | null {
    return invoice.subscriptionId ? subscriptionById(context, invoice.subscriptionId) : null;
  }

  @FieldResolver(() => Rental, { nullable: true, description: "The rental paid for, for a rental invoice." })
  rental(@Root() invoice: Invoice, @Ctx() context: Context): Promise<Rental | null> | null {
    return invoice.rentalId ? rentalById(context, invoice.rentalId) : null;
  }
}
