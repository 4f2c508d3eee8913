// Email goes through a transactional outbox too: the email_outbox row is written in the same transaction as
// the notification that calls for it, and a sender in the notification process hands PENDING rows to the
// mailer (SendGrid or the local outbox). Delivery is at least once: a crash between the provider's answer and
// the commit sends that email again.
import type { Prisma, PrismaClient } from "@watchflixx/db";
import type { Logger } from "@watchflixx/common";
import { PermanentEmailError, type Mailer } from "./mailer.ts";

export interface QueuedEmail {
  to: string;
  subject: string;
  body: string;
  /** The ServiceEvent that called for it: one email per event at most. */
  sourceEventId?: string | null;
}

/** Inside the caller's transaction. */
export async function queueEmail(tx: Prisma.TransactionClient, email: QueuedEmail): Promise<void> {
  await tx.emailOutbox.create({
    data: { toAddress: email.to, subject: email.subject, body: email.body, sourceEventId: email.sourceEventId ?? null },
  });
}

/** The account's address, unless it turned email notifications off (`optional` emails only). */
export async function recipientOf(
  tx: Prisma.TransactionClient,
  userId: string,
  kind: "essential" | "optional",
): Promise<string | null> {
  const user = await tx.user.findUnique({ where: { id: userId }, select: { email: true, settings: { select: { emailNotifications: true } } } });
  if (!user) return null;
  if (kind === "optional" && user.settings?.emailNotifications === false) return null;
  return user.email;
}

interface PendingRow {
  id: string;
  to_address: string;
  subject: string;
  body: string;
}

const BATCH = 20;

/**
 * Hands PENDING email_outbox rows to the mailer: every `pollIntervalMs`, and soon after `wake()` (a commit that
 * queued email). Built with the subgraph (no I/O); the server's start runs it (`start`), its stop ends it.
 */
export class EmailSender {
  #stopped = false;
  #wakeUp: (() => void) | null = null;
  #pending = false;
  #running: Promise<number> | null = null;
  #loop: Promise<void> | null = null;

  constructor(
    private readonly db: PrismaClient,
    private readonly mailer: Mailer,
    private readonly logger: Logger,
    private readonly pollIntervalMs = 5_000,
  ) {}

  /** Where email goes, for the start-up log. */
  get provider(): string {
    return this.mailer.provider;
  }

  /** Starts the passes; `stop` ends them. */
  start(): void {
    this.#stopped = false;
    this.#loop ??= this.run();
  }

  /** Asks for a pass soon (after a commit that queued email). */
  wake(): void {
    if (this.#wakeUp) this.#wakeUp();
    else this.#pending = true;
  }

  /** Sends what is pending now (also runs on its own every poll interval). */
  flush(): Promise<number> {
    this.#running ??= this.flushOnce().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wakeUp?.();
    await this.#loop;
    this.#loop = null;
  }

  private async run(): Promise<void> {
    while (!this.#stopped) {
      try {
        await this.flush();
      } catch (error) {
        this.logger.error("email sender: pass failed", error);
      }
      if (this.#stopped) break;
      if (this.#pending) {
        this.#pending = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.#wakeUp = null;
          resolve();
        };
        const timer = setTimeout(done, this.pollIntervalMs);
        this.#wakeUp = done;
      });
    }
  }

  private async flushOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const sent = await this.sendBatch();
      if (sent <= 0) return total;
      total += sent;
    }
  }

  private sendBatch(): Promise<number> {
    const { mailer, logger } = this;
    return this.db.$transaction(
      async (tx) => {
        // SKIP LOCKED: several notification instances share the outbox without sending one email twice.
        const rows = await tx.$queryRaw<PendingRow[]>`
          SELECT id, to_address, subject, body FROM email_outbox
          WHERE status = 'PENDING' AND (provider IS NULL OR error IS NULL OR synced_at < now() - interval '30 seconds')
          ORDER BY created_at LIMIT ${BATCH}
          FOR UPDATE SKIP LOCKED`;
        let sent = 0;
        for (const row of rows) {
          try {
            const result = await mailer.send({ id: row.id, to: row.to_address, subject: row.subject, body: row.body });
            await tx.emailOutbox.update({
              where: { id: row.id },
              data: { status: "SENT", provider: mailer.provider, providerMessageId: result.providerMessageId, sentAt: new Date(), error: null, version: { increment: 1 }, syncedAt: new Date() },
            });
            sent += 1;
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            const permanent = error instanceof PermanentEmailError;
            logger.warn(`email ${row.id} to ${row.to_address}: ${permanent ? "refused" : "will retry"} (${message})`);
            await tx.emailOutbox.update({
              where: { id: row.id },
              data: { status: permanent ? "FAILED" : "PENDING", provider: mailer.provider, error: message.slice(0, 500), version: { increment: 1 }, syncedAt: new Date() },
            });
          }
        }
        return rows.length === 0 ? -1 : sent;
      },
      { maxWait: 10_000, timeout: 60_000 },
    );
  }
}
