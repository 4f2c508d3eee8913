// The enums this subgraph owns, registered once with the values of the Prisma enums (the database and the
// API cannot drift apart). `VideoQuality` is shared and comes registered from @watchflixx/common.
import { registerEnumType } from "type-graphql";
import { BillingInterval, InvoiceStatus, RentalStatus, SubscriptionStatus } from "@watchflixx/db";

registerEnumType(SubscriptionStatus, {
  name: "SubscriptionStatus",
  description: "Stripe's subscription statuses, upper case. TRIALING and ACTIVE allow playback.",
});
registerEnumType(InvoiceStatus, { name: "InvoiceStatus", description: "Stripe's invoice statuses, upper case." });
registerEnumType(BillingInterval, { name: "BillingInterval", description: "How often a plan is billed." });
registerEnumType(RentalStatus, {
  name: "RentalStatus",
  description: "PENDING: paid, not yet played. ACTIVE: played, within 48 hours of first play. EXPIRED: its window has ended.",
});

export { BillingInterval, InvoiceStatus, RentalStatus, SubscriptionStatus };
