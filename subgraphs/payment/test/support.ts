// What the payment tests share: the subgraph started as main.ts starts it (@watchflixx/testing), the caller as the
// gateway signs it, fresh accounts, and the billing fields as the gateway asks for them.
import { randomUUID } from "node:crypto";
import type { Identity } from "@watchflixx/common";
import { startTestSubgraph, type TestSubgraph } from "@watchflixx/testing";
import type { PrismaClient } from "@watchflixx/db";
import { paymentSubgraphWith, type Loaders, type PaymentConfig, type PaymentSubgraphOptions } from "../src/index.ts";

export type PaymentHarness = TestSubgraph<PaymentConfig, Loaders>;

/** The payment subgraph alone on a free port; `env`: its own settings as raw variables (the provider's). */
export function startPayment(db: PrismaClient, env: Record<string, string> = {}, options: PaymentSubgraphOptions = {}): Promise<PaymentHarness> {
  // Quiet: the Stripe tests reject forged webhooks on purpose, which the subgraph logs as warnings.
  return startTestSubgraph(paymentSubgraphWith(options), { db, env, config: { LOG_LEVEL: "error" } });
}

/** A signed-in viewer, as the gateway vouches for it. */
export function viewer(userId: string): Identity {
  return { userId, role: "USER", deviceId: null };
}

/** A fresh account (rows the auth subgraph would write at sign-up). */
export async function createUser(db: PrismaClient, name = "Test Viewer"): Promise<{ id: string; email: string }> {
  const email = `viewer-${randomUUID()}@example.test`;
  return db.user.create({ data: { email, name, passwordHash: "not-a-real-hash" }, select: { id: true, email: true } });
}

/** The caller's billing, as `me { subscription invoices rentals }` reaches this subgraph through the gateway. */
export const BILLING_OF_USER = `
  query ($id: ID!) {
    _entities(representations: [{ __typename: "User", id: $id }]) {
      ... on User {
        subscription { id status cancelAtPeriodEnd currentPeriodEnd plan { id name maxStreams priceCents currency } }
        invoices { id amountCents currency status issuedAt paidAt }
        rentals { id status expiresAt content { id } price { amountCents currency } }
      }
    }
  }`;

export async function eventsOfType(db: PrismaClient, eventType: string, aggregateId?: string) {
  return db.serviceEvent.findMany({
    where: { eventType, service: "payment", ...(aggregateId ? { aggregateId } : {}) },
    orderBy: { id: "asc" },
  });
}

export const DAY_MS = 24 * 60 * 60 * 1000;
