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

export interface EmailSender {
  /** Sends what is pending now (also runs on its own every poll interval). */
  flush(): Promise<number>;
  /** Asks for a pass soon (after a commit that queued email). */
  wake(): void;
  stop(): Promise<void>;
}

interface PendingRow {
  id: string;
  to_address: string;
  subject: string;
  body: string;
}

const BATCH = 20;

export function startEmailSender(options: { db: PrismaClient; mailer: Mailer; logger: Logger; pollIntervalMs?: number }): EmailSender {
  const { db, mailer, logger } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 5_000;
  let stopped = false;
  let wakeUp: (() => void) | null = null;
  let pending = false;
  let running: Promise<number> | null = null;

  async function sendBatch(): Promise<number> {
    return db.$transaction(
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

  async function flushOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const sent = await sendBatch();
      if (sent <= 0) return total;
      total += sent;
    }
  }

  function flush(): Promise<number> {
    running ??= flushOnce().finally(() => {
      running = null;
    });
    return running;
  }

  const loop = (async () => {
    while (!stopped) {
      try {
        await flush();
      } catch (error) {
        logger.error("email sender: pass failed", error);
      }
      if (stopped) break;
      if (pending) {
        pending = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, pollIntervalMs);
        function done() {
          clearTimeout(timer);
          wakeUp = null;
          resolve();
        }
        wakeUp = done;
      });
    }
  })();

  return {
    flush,
    wake() {
      if (wakeUp) wakeUp();
      else pending = true;
    },
    async stop() {
      stopped = true;
      wakeUp?.();
      await loop;
    },
  };
}
