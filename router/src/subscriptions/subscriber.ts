// One client subscription as graphql-ws consumes it: an async iterator fed by a push queue. It exists apart from
// the shared stream so a slow or departed client can be cut off without touching the others.
import { GraphQLError, type DocumentNode, type ExecutionResult } from "graphql";
import type { Identity } from "@watchflixx/common";

export type Delivery = { result: ExecutionResult } | { done: true };

/** A client this far behind is cut off rather than buffered without bound. */
const MAX_QUEUED_EVENTS = 1000;

/** One client subscription: a push queue whose `return()` detaches at once. */
export class Subscriber implements AsyncIterableIterator<ExecutionResult> {
  private readonly queue: Delivery[] = [];
  private waiting: ((value: IteratorResult<ExecutionResult>) => void) | undefined;
  private finished = false;
  onDetach: () => void = () => undefined;

  constructor(
    readonly identity: Identity,
    readonly document: DocumentNode,
    readonly operationName: string | undefined,
    readonly variables: Record<string, unknown>,
    /** Equal for subscribers whose events take the same shape (same operation text and variables). */
    readonly shapeKey: string,
  ) {}

  push(delivery: Delivery): void {
    if (this.finished) return;
    if ("done" in delivery) this.finished = true;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve("done" in delivery ? { done: true, value: undefined } : { done: false, value: delivery.result });
      return;
    }
    if (!("done" in delivery) && this.queue.length >= MAX_QUEUED_EVENTS) {
      // The client does not read its socket: end its subscription (it may subscribe again) and free the memory.
      this.queue.length = 0;
      this.queue.push(
        { result: { errors: [new GraphQLError("Too many undelivered events: subscribe again.", { extensions: { code: "RATE_LIMITED" } })] } },
        { done: true },
      );
      this.finished = true;
      this.onDetach();
      return;
    }
    this.queue.push(delivery);
  }

  async next(): Promise<IteratorResult<ExecutionResult>> {
    const delivery = this.queue.shift();
    if (delivery) return "done" in delivery ? { done: true, value: undefined } : { done: false, value: delivery.result };
    if (this.finished) return { done: true, value: undefined };
    return new Promise((resolve) => (this.waiting = resolve));
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    this.finished = true;
    this.queue.length = 0;
    this.waiting?.({ done: true, value: undefined });
    this.waiting = undefined;
    this.onDetach();
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}
