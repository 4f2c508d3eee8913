// The gateway's default subscription hook: a SubscriptionEngine built from the gateway's configuration.
import { operationLimitsOf } from "@watchflixx/common";
import type { AttachSubscriptions } from "../gateway/subscriptions.ts";
import { SubscriptionEngine } from "./engine.ts";

export { SubscriptionEngine } from "./engine.ts";

/** The gateway's subscription hook: graphql-ws on its own path, federated through the query plan. */
export function federatedSubscriptions(onEngine?: (engine: SubscriptionEngine) => void): AttachSubscriptions {
  return async ({ httpServer, gateway, config, logger, path, fetcherFor, authenticate, trustedDocuments, clientAddressOf, admit, bus }) => {
    const engine = new SubscriptionEngine({
      gateway,
      gatewaySecret: config.GATEWAY_SHARED_SECRET,
      bus,
      logger,
      subgraphUrls: config.subgraphUrlOverrides,
      fetcherFor,
      timeoutMs: config.SUBGRAPH_TIMEOUT_MS,
      limits: {
        maxSubscriptionsPerSocket: config.WS_MAX_SUBSCRIPTIONS_PER_SOCKET,
        maxSocketsPerAccount: config.WS_MAX_SOCKETS_PER_ACCOUNT,
        maxConnectionInitBytes: config.WS_MAX_CONNECTION_INIT_BYTES,
        maxMessageBytes: config.WS_MAX_MESSAGE_BYTES,
      },
      authenticate,
      guard: { limits: operationLimitsOf(config), maxStringLength: config.INPUT_MAX_STRING_LENGTH },
      trustedDocuments,
      clientAddressOf,
      admit,
    });
    onEngine?.(engine);
    return engine.attach(httpServer, path);
  };
}
