// The payment subgraph's configuration: the shared base, PAYMENT_PORT, and the payment provider's settings.
// Parsed once at start-up by runSubgraph (or a test harness); nothing else in this subgraph reads process.env.
import { z } from "zod";
import { defineSubgraphConfig, type ConfigOf } from "@watchflixx/common";

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === "" ? undefined : value.trim()));

export const paymentConfigSchema = defineSubgraphConfig("payment", {
  /** `local` (default without a key): the built-in provider; `stripe` (default with a key): Stripe. */
  PAYMENT_PROVIDER: z.enum(["local", "stripe"]).optional(),
  STRIPE_SECRET_KEY: optionalString,
  /** The signing secret of the webhook endpoint (`whsec_...`): POST /webhooks/stripe verifies with it. */
  STRIPE_WEBHOOK_SECRET: optionalString,
  /** Seconds a webhook signature stays acceptable (Stripe's default 300). */
  STRIPE_WEBHOOK_TOLERANCE_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
  /** Where the Stripe API is (a stand-in in tests): api.stripe.com:443 over https unless set. */
  STRIPE_API_HOST: optionalString,
  STRIPE_API_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  STRIPE_API_PROTOCOL: z.enum(["http", "https"]).optional(),
  /** How often the local provider settles subscriptions whose period has ended (renewal or cancellation). */
  LOCAL_BILLING_SETTLE_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
}).transform((config, context) => {
  const provider = config.PAYMENT_PROVIDER ?? (config.STRIPE_SECRET_KEY ? "stripe" : "local");
  if (provider === "stripe") {
    if (!config.STRIPE_SECRET_KEY) {
      context.addIssue({ code: "custom", path: ["STRIPE_SECRET_KEY"], message: "must be set when PAYMENT_PROVIDER is stripe" });
      return z.NEVER;
    }
    if (!config.STRIPE_WEBHOOK_SECRET) {
      context.addIssue({
        code: "custom",
        path: ["STRIPE_WEBHOOK_SECRET"],
        message: "must be set when the Stripe provider is used (webhooks drive subscription state)",
      });
      return z.NEVER;
    }
  }
  return { ...config, PAYMENT_PROVIDER: provider };
});

export type PaymentConfig = ConfigOf<typeof paymentConfigSchema>;
