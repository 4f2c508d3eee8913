// What a caller may read: its own subscription, invoices and rentals, never another user's (answered as if there
// were none); plans and rental prices are public.
import { rentalPriceOfTitle, type SubgraphContext } from "@watchflixx/common";
import type { Invoice, Plan, Rental, Subscription } from "@watchflixx/db";
import type { Loaders } from "../loaders.ts";

type Context = SubgraphContext<Loaders>;

function isCaller(context: Context, userId: string): boolean {
  return context.identity !== null && context.identity.userId === userId;
}

export async function liveSubscriptionOf(context: Context, userId: string): Promise<Subscription | null> {
  return isCaller(context, userId) ? context.loaders.liveSubscriptionByUser.load(userId) : null;
}

export async function invoicesOf(context: Context, userId: string): Promise<Invoice[]> {
  return isCaller(context, userId) ? context.loaders.invoicesByUser.load(userId) : [];
}

export async function rentalsOf(context: Context, userId: string): Promise<Rental[]> {
  return isCaller(context, userId) ? context.loaders.rentalsByUser.load(userId) : [];
}

export async function subscriptionById(context: Context, id: string): Promise<Subscription | null> {
  const row = await context.loaders.subscription.load(id);
  return row && isCaller(context, row.userId) ? row : null;
}

export async function invoiceById(context: Context, id: string): Promise<Invoice | null> {
  const row = await context.loaders.invoice.load(id);
  return row && isCaller(context, row.userId) ? row : null;
}

export async function rentalById(context: Context, id: string): Promise<Rental | null> {
  const row = await context.loaders.rental.load(id);
  return row && isCaller(context, row.userId) ? row : null;
}

export async function planById(context: Context, id: string): Promise<Plan | null> {
  return context.loaders.plan.load(id);
}

export async function rentalPriceOf(context: Context, contentId: string): Promise<{ amountCents: number; currency: string } | null> {
  const row = await context.loaders.contentPrice.load(contentId);
  return row && rentalPriceOfTitle(row);
}
