// Access that ends while a subscription is open: a subgraph announces it on the bus (a member left a party, a
// session was signed out), and the gateway closes what no longer passes. Kept apart from the happy path.
import {
  sessionRevocationsChannel,
  subscriptionRevocationsChannel,
  type Bus,
  type Listening,
  type SessionRevocation,
  type SubscriptionRevocation,
} from "@watchflixx/common";
import type { AuthorizationDecision, AuthorizationRequest } from "./authorize.ts";
import type { SharedStream } from "./shared-streams.ts";

export interface RevocationTargets {
  /** Closes the sockets of a session that ended. */
  endSession(revocation: SessionRevocation): void;
  /** The open streams to search for subscriptions a subgraph revoked. */
  streams(): SharedStream[];
  authorize(request: AuthorizationRequest): Promise<AuthorizationDecision>;
}

export function listenForRevocations(bus: Bus, targets: RevocationTargets): Listening {
  return bus.listen([subscriptionRevocationsChannel(), sessionRevocationsChannel()], (channel, message) => {
    if (channel === sessionRevocationsChannel()) {
      const revocation = parsed<SessionRevocation>(message);
      if (revocation) targets.endSession(revocation);
    } else {
      const revocation = parsed<SubscriptionRevocation>(message);
      if (revocation) void revoke(revocation, targets);
    }
  });
}

/** A malformed message is ignored. */
function parsed<T>(message: string): T | undefined {
  try {
    return JSON.parse(message) as T;
  } catch {
    return undefined;
  }
}

/** Re-authorizes the subscribers a revocation names; those refused now are closed with the subgraph's errors. */
async function revoke(revocation: SubscriptionRevocation, targets: RevocationTargets): Promise<void> {
  for (const stream of targets.streams()) {
    if (stream.serviceName !== revocation.service || !revocation.fields.includes(stream.plan.rootField)) continue;
    const matches = Object.entries(revocation.arguments).every(([name, value]) => stream.rootArguments[name] === value);
    if (!matches) continue;
    for (const subscriber of [...stream.subscribers]) {
      if (subscriber.identity.userId !== revocation.userId) continue;
      const decision = await targets.authorize({
        serviceName: stream.serviceName,
        operation: stream.plan.primary.operation,
        variables: stream.upstreamVariables,
        identity: subscriber.identity,
      });
      if (!("errors" in decision)) continue;
      const refusal = decision.errors;
      // Ordered after the events already queued for this stream.
      stream.enqueue(async () => {
        subscriber.push({ result: { errors: refusal } });
        subscriber.push({ done: true });
        subscriber.onDetach();
      });
    }
  }
}
