// What the notification subgraph starts with its server (onStart) and its resolvers reach: the email sender.
import type { EmailSender } from "./email-outbox.ts";

export class NotificationRuntime {
  #emailSender: EmailSender | null = null;

  attachEmailSender(sender: EmailSender | null): void {
    this.#emailSender = sender;
  }

  /** A commit queued email: send it now rather than at the next poll. */
  wakeEmailSender(): void {
    this.#emailSender?.wake();
  }
}
