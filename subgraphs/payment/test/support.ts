// Starts the payment subgraph on a random port against a test database and talks to it as the gateway would:
// GraphQL with signed identity headers, entity references through `_entities`.
import { randomUUID } from "node:crypto";
import { startSubgraph, type RunningSubgraph } from "@watchflixx/common";
import { postToSubgraph } from "@watchflixx/testing";
import type { PrismaClient } from "@watchflixx/db";
import { createPaymentSubgraph, parsePaymentConfig, type PaymentConfig, type PaymentSubgraphOptions } from "../src/index.ts";

export interface GraphQLResult {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response JSON, shaped by each query
  data?: any;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export interface PaymentHarness {
  server: RunningSubgraph;
  config: PaymentConfig;
  /** http://127.0.0.1:<port> (webhooks live at /webhooks/stripe). */
  baseUrl: string;
  gql(query: string, variables?: Record<string, unknown>, asUserId?: string): Promise<GraphQLResult>;
  stop(): Promise<void>;
}

export async function startPayment(
  db: PrismaClient,
  env: Record<string, string> = {},
  options: Pick<PaymentSubgraphOptions, "consumer"> = {},
): Promise<PaymentHarness> {
  const config = parsePaymentConfig({ NODE_ENV: "test", LOG_LEVEL: "error", ...env });
  const definition = await createPaymentSubgraph({ config, ...options });
  const server = await startSubgraph(definition, { db, config, port: 0, host: "127.0.0.1" });
  return {
    server,
    config,
    baseUrl: server.url.replace(/\/graphql$/, ""),
    gql: (query, variables = {}, asUserId) =>
      postToSubgraph<GraphQLResult>(
        server.url,
        config.GATEWAY_SHARED_SECRET,
        query,
        variables,
        asUserId ? { userId: asUserId, role: "USER", deviceId: null } : null,
      ),
    stop: () => server.stop(),
  };
}

/** A fresh account (rows the auth subgraph would write at sign-up). */
export async function createUser(db: PrismaClient, name = "Test Viewer"): Promise<{ id: string; email: string }> {
  const email = `viewer-${randomUUID()}@example.test`;
  return db.user.create({ data: { email, name, passwordHash: "not-a-real-hash" }, select: { id: true, email: true } });
}

export function errorCode(result: GraphQLResult): string | undefined {
  return result.errors?.[0]?.extensions?.code;
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
