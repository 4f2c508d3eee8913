// POST /webhooks/stripe, the HTTP side of StripeWebhookService.receive: the body is kept raw (the signature covers
// it), a forged or stale signature gets 400 with nothing changed, a redelivered event 200 with nothing changed.
import express, { type Express } from "express";
import type { Logger } from "@watchflixx/common";
import { WebhookNotConfiguredError, WebhookSignatureError, type StripeWebhookService } from "../services/webhooks.service.ts";

export const STRIPE_WEBHOOK_PATH = "/webhooks/stripe";

export function mountStripeWebhook(app: Express, webhooks: StripeWebhookService, logger: Logger): void {
  app.post(STRIPE_WEBHOOK_PATH, express.raw({ type: "application/json", limit: "1mb" }), async (req, res) => {
    // Anything but JSON is not parsed at all: then there is nothing signed to check.
    const body = Buffer.isBuffer(req.body) ? req.body : null;
    try {
      const outcome = await webhooks.receive(body, req.header("stripe-signature"));
      res.json({ received: true, duplicate: outcome === "duplicate" });
    } catch (error) {
      if (error instanceof WebhookNotConfiguredError) {
        res.status(503).json({ error: error.message });
      } else if (error instanceof WebhookSignatureError && error.unsigned) {
        res.status(400).json({ error: error.message });
      } else if (error instanceof WebhookSignatureError) {
        logger.warn(`rejected Stripe webhook: ${error.message}`);
        res.status(400).json({ error: "Invalid or expired signature." });
      } else {
        res.status(500).json({ error: "Could not process the event." });
      }
    }
  });
}
