// The payment subgraph: plans, subscriptions, invoices, rentals, and the Stripe webhook.
import "./enums.ts";
import { buildFederatedSchema, createLogger, startSubgraphConsumer, type SubgraphConsumerSetting, type SubgraphDefinition } from "@watchflixx/common";
import { BillingSubscription } from "./entities/billing-subscription.ts";
import { Content } from "./entities/content.ts";
import { Invoice } from "./entities/invoice.ts";
import { Money } from "./entities/money.ts";
import { Plan } from "./entities/plan.ts";
import { Rental } from "./entities/rental.ts";
import { User } from "./entities/user.ts";
import { loadPaymentConfig, type PaymentConfig } from "./env.ts";
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
import { userReference } from "./resolvers/user.reference.ts";
import { UserBillingResolver } from "./resolvers/user.resolver.ts";
import { settleLocalSubscriptions } from "./services/local-billing.service.ts";
import { playbackHandlers } from "./services/playback-events.ts";
import { createPaymentProvider, type PaymentProviderClient } from "./services/providers/index.ts";
import { RentalService } from "./services/rentals.service.ts";
import { SubscriptionService } from "./services/subscriptions.service.ts";
import { StripeWebhookService } from "./services/webhooks.service.ts";
import { mountStripeWebhook } from "./webhooks/stripe.route.ts";

export { parsePaymentConfig, loadPaymentConfig, type PaymentConfig } from "./env.ts";
export { settleLocalSubscriptions } from "./services/local-billing.service.ts";
export { playbackHandlers } from "./services/playback-events.ts";
export { STRIPE_WEBHOOK_PATH } from "./webhooks/stripe.route.ts";

export interface PaymentSubgraphOptions {
  /** Parsed configuration; read from process.env when omitted. */
  config?: PaymentConfig;
  /** Overrides the provider the configuration selects. */
  provider?: PaymentProviderClient;
  /**
   * The PlaybackStarted consumer (rentals' first-play windows), started with the server (default on, waking on
   * the configuration's REDIS_URL). `false` leaves it off (a test that drives the consumer itself).
   */
  consumer?: SubgraphConsumerSetting;
}

export async function createPaymentSubgraph(options: PaymentSubgraphOptions = {}): Promise<SubgraphDefinition<Loaders>> {
  const config = options.config ?? loadPaymentConfig();
  const logger = createLogger("payment", config.LOG_LEVEL);
  const provider = options.provider ?? createPaymentProvider(config);
  const subscriptions = new SubscriptionService(provider, logger);
  const rentals = new RentalService(provider);
  const webhooks = new StripeWebhookService(logger);

  // Resolvers that need a service get it through their constructor; the others are built on first use.
  const instances = new Map<unknown, unknown>([
    [BillingSubscriptionResolver, new BillingSubscriptionResolver(subscriptions)],
    [RentalResolver, new RentalResolver(rentals)],
  ]);

  const { schema, sdl } = await buildFederatedSchema({
    resolvers: [PlanResolver, BillingSubscriptionResolver, InvoiceResolver, RentalResolver, UserBillingResolver, ContentPriceResolver],
    orphanedTypes: [Plan, BillingSubscription, Invoice, Rental, Money, User, Content],
    container: {
      get: (someClass: new () => unknown) => {
        if (!instances.has(someClass)) instances.set(someClass, new someClass());
        return instances.get(someClass);
      },
    },
    referenceResolvers: {
      Plan: planReference,
      BillingSubscription: billingSubscriptionReference,
      Invoice: invoiceReference,
      Rental: rentalReference,
      User: userReference,
      Content: contentReference,
    },
  });

  return {
    name: "payment",
    schema,
    sdl,
    createLoaders,
    configureApp(app, deps) {
      mountStripeWebhook(app, deps, {
        secret: config.STRIPE_WEBHOOK_SECRET,
        toleranceSeconds: config.STRIPE_WEBHOOK_TOLERANCE_SECONDS,
        service: webhooks,
      });
    },
    async onStart(_httpServer, deps) {
      const stops: (() => Promise<void>)[] = [];
      const consumer = startSubgraphConsumer("payment", playbackHandlers, deps, options.consumer);
      if (consumer) stops.push(() => consumer.stop());
      if (provider.kind === "LOCAL") {
        // The local provider's clock: renewals and period-end cancellations.
        let running: Promise<unknown> = Promise.resolve();
        const timer = setInterval(() => {
          running = settleLocalSubscriptions(deps.db, new Date(), deps.logger).catch((error: unknown) =>
            deps.logger.error("local billing settlement failed", error),
          );
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
