// De-duplication: subscribers to the same upstream operation and arguments share ONE upstream subscription.
// This registry owns the streams' lifecycle: opened by the first subscriber, closed with the last or by the subgraph.
import type { GraphQLError, GraphQLFormattedError } from "graphql";
import type { Identity, Logger } from "@watchflixx/common";
import { formatError, internalServerError } from "./errors.ts";
import type { EventShaper } from "./event-shaper.ts";
import type { SubscriptionPlan } from "./planner.ts";
import type { Subscriber } from "./subscriber.ts";
import type { UpstreamConnections } from "./upstream.ts";

/** Counters a test or an operator can read. */
export interface SubscriptionStats {
  clients: number;
  activeUpstreams: number;
  upstreamsOpened: number;
  eventsReceived: number;
}

/** One upstream subscription and the clients it serves. */
export class SharedStream {
  readonly subscribers = new Set<Subscriber>();
  stopUpstream: () => void = () => undefined;
  /** Events are shaped and delivered strictly one after another. */
  private chain: Promise<void> = Promise.resolve();

  constructor(
    readonly key: string,
    readonly serviceName: string,
    readonly plan: SubscriptionPlan,
    readonly upstreamVariables: Record<string, unknown>,
    readonly rootArguments: Record<string, unknown>,
    /** Who the upstream subscription is held as: the gateway itself (shared) or one account (per subscriber). */
    readonly upstreamIdentity: Identity,
  ) {}

  enqueue(work: () => Promise<void>): void {
    this.chain = this.chain.then(work, work);
  }
}

/** What makes a stream: the owning subgraph, its upstream operation and variables, and who holds it. */
export interface StreamSpec {
  serviceName: string;
  plan: SubscriptionPlan;
  upstreamVariables: Record<string, unknown>;
  upstreamIdentity: Identity;
  /** "*" for a stream shared by all accounts, else the one account it serves. */
  owner: string;
}

export class SharedStreams {
  private readonly streams = new Map<string, SharedStream>();
  private readonly counters = { upstreamsOpened: 0, eventsReceived: 0 };
  private activeClients = 0;

  constructor(
    private readonly upstreams: UpstreamConnections,
    private readonly shaper: EventShaper,
    private readonly logger: Logger,
  ) {}

  stats(): SubscriptionStats {
    return { clients: this.activeClients, activeUpstreams: this.streams.size, ...this.counters };
  }

  /** The open streams, for revocations to search. */
  all(): SharedStream[] {
    return [...this.streams.values()];
  }

  /** Adds the subscriber to the stream `spec` names, opening that stream first if none is open. */
  join(spec: StreamSpec, subscriber: Subscriber): void {
    const key = `${spec.serviceName}\n${spec.owner}\n${spec.plan.primary.operation}\n${JSON.stringify(spec.upstreamVariables)}`;
    let stream = this.streams.get(key);
    if (!stream) {
      stream = new SharedStream(key, spec.serviceName, spec.plan, spec.upstreamVariables, spec.plan.rootArguments(spec.upstreamVariables), spec.upstreamIdentity);
      this.streams.set(key, stream);
      this.openUpstream(stream);
    }
    const joined = stream;
    joined.subscribers.add(subscriber);
    this.activeClients += 1;
    subscriber.onDetach = () => {
      if (!joined.subscribers.delete(subscriber)) return;
      this.activeClients -= 1;
      if (joined.subscribers.size === 0 && this.streams.get(joined.key) === joined) {
        this.streams.delete(joined.key);
        joined.stopUpstream();
        this.releaseConnection(joined);
      }
    };
  }

  /** Shutdown: every upstream subscription stops (the connections are closed by their owner). */
  stopAll(): void {
    for (const stream of this.streams.values()) stream.stopUpstream();
    this.streams.clear();
  }

  /** An account's own upstream connection goes when its last stream does. */
  private releaseConnection(stream: SharedStream): void {
    const inUse = [...this.streams.values()].some(
      (other) => other.serviceName === stream.serviceName && other.upstreamIdentity.userId === stream.upstreamIdentity.userId,
    );
    if (!inUse) this.upstreams.release(stream.serviceName, stream.upstreamIdentity);
  }

  private openUpstream(stream: SharedStream): void {
    this.counters.upstreamsOpened += 1;
    const client = this.upstreams.clientFor(stream.serviceName, stream.upstreamIdentity);
    stream.stopUpstream = client.subscribe<Record<string, unknown>>(
      { query: stream.plan.primary.operation, variables: stream.upstreamVariables },
      {
        next: (event) => {
          this.counters.eventsReceived += 1;
          stream.enqueue(() => this.shaper.deliver(stream.plan, stream.subscribers, event));
        },
        error: (error) => {
          const errors = Array.isArray(error) ? (error as GraphQLFormattedError[]).map(formatError) : [internalServerError()];
          if (!Array.isArray(error)) this.logger.error(`upstream subscription to ${stream.serviceName} failed`, error);
          stream.enqueue(async () => this.finish(stream, errors));
        },
        complete: () => stream.enqueue(async () => this.finish(stream, [])),
      },
    );
  }

  /** The subgraph ended the upstream subscription: every subscriber gets its errors, if any, and completes. */
  private finish(stream: SharedStream, errors: GraphQLError[]): void {
    if (this.streams.get(stream.key) === stream) this.streams.delete(stream.key);
    this.releaseConnection(stream);
    for (const subscriber of [...stream.subscribers]) {
      if (errors.length > 0) subscriber.push({ result: { errors } });
      subscriber.push({ done: true });
      stream.subscribers.delete(subscriber);
      this.activeClients -= 1;
    }
  }
}
