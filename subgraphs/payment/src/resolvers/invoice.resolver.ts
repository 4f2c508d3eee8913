import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { BillingSubscription } from "../entities/billing-subscription.ts";
import { Invoice } from "../entities/invoice.ts";
import { Rental } from "../entities/rental.ts";
import type { BillingReadsService } from "../services/billing-reads.service.ts";
import { readerOf, type Context } from "./context.ts";

@Resolver(() => Invoice)
export class InvoiceResolver {
  constructor(private readonly reads: BillingReadsService) {}

  @FieldResolver(() => BillingSubscription, { nullable: true, description: "The subscription billed, for a subscription invoice." })
  subscription(@Root() invoice: Invoice, @Ctx() context: Context): Promise<BillingSubscription | null> | null {
    return invoice.subscriptionId ? this.reads.subscriptionById(readerOf(context), invoice.subscriptionId) : null;
  }

  @FieldResolver(() => Rental, { nullable: true, description: "The rental paid for, for a rental invoice." })
  rental(@Root() invoice: Invoice, @Ctx() context: Context): Promise<Rental | null> | null {
    return invoice.rentalId ? this.reads.rentalById(readerOf(context), invoice.rentalId) : null;
  }
}
