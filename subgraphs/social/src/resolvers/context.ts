import type { SubscriptionPubSub } from "@watchflixx/common";
import { ForbiddenError, type SubgraphContext } from "@watchflixx/common";
import type { RequestScope } from "../loaders.ts";

export type SocialContext = SubgraphContext<RequestScope>;

export function pubSubOf(context: SocialContext): SubscriptionPubSub {
  // startSubgraph provides it because the definition asks for subscriptions.
  if (!context.pubSub) throw new ForbiddenError("Live party features are unavailable.");
  return context.pubSub;
}
