// Which provider the configuration selects, and the one-line errors a bad combination gives.
import { describe, expect, it } from "vitest";
import { ConfigurationError, parseConfig } from "@watchflixx/common";
import { paymentConfigSchema } from "../src/index.ts";

const parsePaymentConfig = (env: Record<string, string>) => parseConfig(paymentConfigSchema, env);

describe("payment configuration", () => {
  it("uses the local provider without keys", () => {
    const config = parsePaymentConfig({});
    expect(config.PAYMENT_PROVIDER).toBe("local");
    expect(config.STRIPE_WEBHOOK_TOLERANCE_SECONDS).toBe(300);
  });

  it("uses Stripe when a secret key is set, and stays local when asked to", () => {
    const keys = { STRIPE_SECRET_KEY: "sk_test_123", STRIPE_WEBHOOK_SECRET: "whsec_123" };
    expect(parsePaymentConfig(keys).PAYMENT_PROVIDER).toBe("stripe");
    expect(parsePaymentConfig({ ...keys, PAYMENT_PROVIDER: "local" }).PAYMENT_PROVIDER).toBe("local");
    expect(parsePaymentConfig({ ...keys, STRIPE_API_HOST: "127.0.0.1", STRIPE_API_PORT: "12111", STRIPE_API_PROTOCOL: "http" })).toMatchObject({
      STRIPE_API_HOST: "127.0.0.1",
      STRIPE_API_PORT: 12111,
      STRIPE_API_PROTOCOL: "http",
    });
  });

  it("names the missing variable when Stripe cannot work", () => {
    expect(() => parsePaymentConfig({ PAYMENT_PROVIDER: "stripe" })).toThrow(new ConfigurationError("STRIPE_SECRET_KEY must be set when PAYMENT_PROVIDER is stripe"));
    expect(() => parsePaymentConfig({ STRIPE_SECRET_KEY: "sk_test_123" })).toThrow(/^STRIPE_WEBHOOK_SECRET /);
    expect(() => parsePaymentConfig({ PAYMENT_PROVIDER: "paypal" })).toThrow(/^PAYMENT_PROVIDER /);
    expect(() => parsePaymentConfig({ STRIPE_API_PROTOCOL: "ftp" })).toThrow(/^STRIPE_API_PROTOCOL /);
  });
});
