import type { PaymentConfig } from "../../config.ts";
import { LocalPaymentProvider } from "./local.provider.ts";
import type { PaymentProviderClient } from "./provider.ts";
import { createStripeClient, StripePaymentProvider } from "./stripe.provider.ts";

export type { PaymentProviderClient } from "./provider.ts";
export { PaymentDeclinedError } from "./provider.ts";
export { LocalPaymentProvider } from "./local.provider.ts";
export { StripePaymentProvider, createStripeClient } from "./stripe.provider.ts";

/** The provider the configuration asks for: Stripe with a key, the local provider otherwise. */
export function createPaymentProvider(config: PaymentConfig): PaymentProviderClient {
  if (config.PAYMENT_PROVIDER === "stripe" && config.STRIPE_SECRET_KEY) {
    return new StripePaymentProvider(
      createStripeClient({
        secretKey: config.STRIPE_SECRET_KEY,
        host: config.STRIPE_API_HOST,
        port: config.STRIPE_API_PORT,
        protocol: config.STRIPE_API_PROTOCOL,
      }),
    );
  }
  return new LocalPaymentProvider();
}
