// POST /webhooks/stripe: the signature is checked over the raw body (so this route parses nothing itself),
// a forged or stale signature gets 400 with nothing changed, a redelivered event 200 with nothing changed.
import express, { type Express } from "express";
import Stripe from "stripe";
import type { SubgraphDependencies } from "@watchflixx/common";
import type { StripeWebhookService } from "../services/webhooks.service.ts";

export const STRIPE_WEBHOOK_PATH = "/webhooks/stripe";

export interface StripeWebhookRouteOptions {
  /** `whsec_...`; without one the route answers 503 (webhooks are not configured). */
  secret: string | undefined;
  toleranceSeconds: number;
  service: StripeWebhookService;
}

export function mountStripeWebhook(app: Express, deps: SubgraphDependencies, options: StripeWebhookRouteOptions): void {
  app.post(STRIPE_WEBHOOK_PATH, express.raw({ type: "application/json", limit: "1mb" }), async (req, res) => {
    if (!options.secret) {
      res.status(503).json({ error: "Stripe webhooks are not configured (STRIPE_WEBHOOK_SECRET)." });
      return;
    }
    const signature = req.header("stripe-signature");
    if (!signature || !Buffer.isBuffer(req.body)) {
      res.status(400).json({ error: "Expected a signed JSON body." });
      return;
    }
    let event: Stripe.Event;
    try {
      event = Stripe.webhooks.constructEvent(req.body, signature, options.secret, options.toleranceSeconds);
    } catch (error) {
      deps.logger.warn(`rejected Stripe webhook: ${error instanceof Error ? error.message : String(error)}`);
      res.status(400).json({ error: "Invalid or expired signature." });
      return;
    }
    try {
      const outcome = await options.service.handle(deps.db, event);
      res.json({ received: true, duplicate: outcome === "duplicate" });
    } catch (error) {
      // Not acknowledged: Stripe delivers it again later, and nothing of it was kept.
      deps.logger.error(`failed to handle Stripe event ${event.id} (${event.type})`, error);
      res.status(500).json({ error: "Could not process the event." });
    }
  });
}
