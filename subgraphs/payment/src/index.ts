// The payment subgraph: plans, subscriptions, invoices, rentals, and the Stripe webhook. Built from the deps
// start-up hands in: the provider and the services once, then the resolvers, the webhook route and the
// background work (the PlaybackStarted consumer, the local provider's settlement clock) with them.
import "./entities/enums.ts";
import {
  buildFederatedSchema,
  startSubgraphConsumer,
  type SubgraphConsumerSetting,
  type SubgraphDefinition,
  type SubgraphDeps,
  type SubgraphModule,
} from "@watchflixx/common";
import { paymentConfigSchema, type PaymentConfig } from "./config.ts";
import { BillingSubscription } from "./entities/billing-subscription.ts";
import { Content } from "./entities/content.ts";
import { Invoice } from "./entities/invoice.ts";
import { Money } from "./entities/money.ts";
import { Plan } from "./entities/plan.ts";
import { Rental } from "./entities/rental.ts";
import { User } from "./entities/user.ts";
import { createLoaders, type Loaders } from "./loaders.ts";
import { billingSubscriptionReference } from "./resolvers/billing-subscription.reference.ts";
import { BillingSubscriptionResolver } from "./resolvers/billing-subscription.resolver.ts";
import { contentReference } from "./resolvers/content.reference.ts";
import { ContentPriceResolver } from "./resolvers/content.resolver.ts";
import { invoiceReference } from "./resolvers/invoice.reference.ts";
import { InvoiceResolver } from "./resolvers/invoice.resolver.ts";
import { planReference } from "./resolvers/plan.reference.ts";
import { PlanResolver } from "./resolvers/plan.resolver.ts";
import { rentalReference } from "./resolvers/rental.reference.ts";
import { RentalResolver } from "./resolvers/rental.resolver.ts";
import { mountStripeWebhook } from "./resolvers/stripe-webhook.route.ts";
import { userReference } from "./resolvers/user.reference.ts";
import { UserBillingResolver } from "./resolvers/user.resolver.ts";
import { BillingReadsService } from "./services/billing-reads.service.ts";
import { settleLocalSubscriptions } from "./services/local-billing.service.ts";
import { playbackHandlers } from "./services/playback-events.ts";
import { PlansService } from "./services/plans.service.ts";
import { createPaymentProvider } from "./services/providers/index.ts";
import { RentalService } from "./services/rentals.service.ts";
import { SubscriptionService } from "./services/subscriptions.service.ts";
import { StripeWebhookService } from "./services/webhooks.service.ts";

export type { Loaders } from "./loaders.ts";
export { paymentConfigSchema, type PaymentConfig } from "./config.ts";
export { settleLocalSubscriptions } from "./services/local-billing.service.ts";
export { playbackHandlers } from "./services/playback-events.ts";
export { STRIPE_WEBHOOK_PATH } from "./resolvers/stripe-webhook.route.ts";

export interface PaymentSubgraphOptions {
  /**
   * The PlaybackStarted consumer (rentals' first-play windows), started with the server (default on, woken
   * through the bus). `false` leaves it off (a test that drives the consumer itself).
   */
  consumer?: SubgraphConsumerSetting;
}

export async function createPaymentSubgraph(deps: SubgraphDeps<PaymentConfig>, options: PaymentSubgraphOptions = {}): Promise<SubgraphDefinition<Loaders>> {
  const { config, db, logger } = deps;
  const provider = createPaymentProvider(config);
  const reads = new BillingReadsService();
  const subscriptions = new SubscriptionService(db, provider, logger);
  const rentals = new RentalService(db, provider);
  const webhooks = new StripeWebhookService(db, logger, {
    secret: config.STRIPE_WEBHOOK_SECRET,
    toleranceSeconds: config.STRIPE_WEBHOOK_TOLERANCE_SECONDS,
  });

  const { schema, sdl } = await buildFederatedSchema({
    resolverInstances: [
      new PlanResolver(new PlansService(db)),
      new BillingSubscriptionResolver(subscriptions, reads),
      new InvoiceResolver(reads),
      new RentalResolver(rentals),
      new UserBillingResolver(reads),
      new ContentPriceResolver(reads),
    ],
    orphanedTypes: [Plan, BillingSubscription, Invoice, Rental, Money, User, Content],
    referenceResolvers: {
      Plan: planReference(reads),
      BillingSubscription: billingSubscriptionReference(reads),
      Invoice: invoiceReference(reads),
      Rental: rentalReference(reads),
      User: userReference,
      Content: contentReference,
    },
  });

  return {
    name: "payment",
    schema,
    sdl,
    createLoaders,
    configureApp(app) {
      mountStripeWebhook(app, webhooks, logger);
    },
    async onStart() {
      const stops: (() => Promise<void>)[] = [];
      const consumer = startSubgraphConsumer("payment", playbackHandlers, deps, options.consumer);
      if (consumer) stops.push(() => consumer.stop());
      if (provider.kind === "LOCAL") {
        // The local provider's clock: renewals and period-end cancellations.
        let running: Promise<unknown> = Promise.resolve();
        const timer = setInterval(() => {
          running = settleLocalSubscriptions(db, new Date(), logger).catch((error: unknown) => logger.error("local billing settlement failed", error));
        }, config.LOCAL_BILLING_SETTLE_INTERVAL_SECONDS * 1000);
        timer.unref();
        stops.push(async () => {
          clearInterval(timer);
          await running;
        });
      }
      return async () => {
        await Promise.all(stops.map((stop) => stop()));
      };
    },
  };
}

/** The payment module with its consumer set as `options` say (tests that drive the consumer themselves). */
export function paymentSubgraphWith(options: PaymentSubgraphOptions): SubgraphModule<PaymentConfig, Loaders> {
  return { name: "payment", configSchema: paymentConfigSchema, create: (deps) => createPaymentSubgraph(deps, options) };
}

/** What main.ts, the harnesses and embedded mode start: `launchSubgraph(paymentSubgraph, ...)`. */
export const paymentSubgraph: SubgraphModule<PaymentConfig, Loaders> = paymentSubgraphWith({});
