// What a caller may read: its own subscription, invoices and rentals, never another user's (answered as if there
// were none); plans and rental prices are public. Every read batches through the request's loaders.
import { rentalPriceOfTitle, type Identity } from "@watchflixx/common";
import type { Invoice, Plan, Rental, Subscription } from "@watchflixx/db";
import type { Loaders } from "../loaders.ts";

/** Who asks (null: anonymous), and this request's loaders. */
export interface BillingReader {
  viewer: Identity | null;
  loaders: Loaders;
}

function isCaller(reader: BillingReader, userId: string): boolean {
  return reader.viewer !== null && reader.viewer.userId === userId;
}

export class BillingReadsService {
  async liveSubscriptionOf(reader: BillingReader, userId: string): Promise<Subscription | null> {
    return isCaller(reader, userId) ? reader.loaders.liveSubscriptionByUser.load(userId) : null;
  }

  async invoicesOf(reader: BillingReader, userId: string): Promise<Invoice[]> {
    return isCaller(reader, userId) ? reader.loaders.invoicesByUser.load(userId) : [];
  }

  async rentalsOf(reader: BillingReader, userId: string): Promise<Rental[]> {
    return isCaller(reader, userId) ? reader.loaders.rentalsByUser.load(userId) : [];
  }

  async subscriptionById(reader: BillingReader, id: string): Promise<Subscription | null> {
    const row = await reader.loaders.subscription.load(id);
    return row && isCaller(reader, row.userId) ? row : null;
  }

  async invoiceById(reader: BillingReader, id: string): Promise<Invoice | null> {
    const row = await reader.loaders.invoice.load(id);
    return row && isCaller(reader, row.userId) ? row : null;
  }

  async rentalById(reader: BillingReader, id: string): Promise<Rental | null> {
    const row = await reader.loaders.rental.load(id);
    return row && isCaller(reader, row.userId) ? row : null;
  }

  async planById(reader: BillingReader, id: string): Promise<Plan | null> {
    return reader.loaders.plan.load(id);
  }

  async rentalPriceOf(reader: BillingReader, contentId: string): Promise<{ amountCents: number; currency: string } | null> {
    const row = await reader.loaders.contentPrice.load(contentId);
    return row && rentalPriceOfTitle(row);
  }
}
