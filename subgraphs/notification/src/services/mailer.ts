// How an email leaves: SendGrid when SENDGRID_API_KEY is set, otherwise the local outbox (the email_outbox
// row is the delivery, plus a log line), so that nothing needs a key in development and tests.
import { Client } from "@sendgrid/client";
import { MailService } from "@sendgrid/mail";
import type { Logger } from "@watchflixx/common";

export interface OutgoingEmail {
  id: string;
  to: string;
  subject: string;
  body: string;
}

export interface SentEmail {
  providerMessageId: string | null;
}

/** A provider refused the email for good (bad address, bad key): retrying will not help. */
export class PermanentEmailError extends Error {}

export interface Mailer {
  /** Stored in email_outbox.provider. */
  readonly provider: string;
  send(email: OutgoingEmail): Promise<SentEmail>;
}

/** No provider: the email stays in email_outbox (marked sent by "outbox") and is logged. */
export class LocalOutboxMailer implements Mailer {
  readonly provider = "outbox";

  constructor(private readonly logger: Logger) {}

  async send(email: OutgoingEmail): Promise<SentEmail> {
    this.logger.info(`email to ${email.to}: "${email.subject}" (kept in email_outbox ${email.id}; set SENDGRID_API_KEY to send)`);
    return { providerMessageId: null };
  }
}

function statusOf(error: unknown): number | null {
  const code = (error as { code?: unknown }).code;
  return typeof code === "number" ? code : null;
}

/** SendGrid's v3 mail/send through @sendgrid/mail; `baseUrl` points it elsewhere (a region, a test server). */
export class SendGridMailer implements Mailer {
  readonly provider = "sendgrid";
  readonly #mail: MailService;

  constructor(private readonly options: { apiKey: string; from: string; baseUrl?: string | undefined; timeoutMs?: number }) {
    const client = new Client();
    client.setApiKey(options.apiKey);
    if (options.baseUrl) client.setDefaultRequest("baseUrl", options.baseUrl);
    this.#mail = new MailService();
    this.#mail.setClient(client);
    this.#mail.setTimeout(options.timeoutMs ?? 10_000);
  }

  async send(email: OutgoingEmail): Promise<SentEmail> {
    try {
      const [response] = await this.#mail.send({
        to: email.to,
        from: this.options.from,
        subject: email.subject,
        text: email.body,
        customArgs: { emailOutboxId: email.id },
      });
      const messageId = response.headers["x-message-id"];
      return { providerMessageId: typeof messageId === "string" ? messageId : null };
    } catch (error) {
      const status = statusOf(error);
      // 4xx other than rate limiting: the request itself is wrong (address, key, content).
      if (status !== null && status >= 400 && status < 500 && status !== 429) {
        throw new PermanentEmailError(`SendGrid refused the email (HTTP ${status})`);
      }
      throw error;
    }
  }
}

/** The email settings of the configuration (src/config.ts). */
export interface EmailSettings {
  SENDGRID_API_KEY?: string | undefined;
  SENDGRID_FROM_EMAIL: string;
  SENDGRID_BASE_URL?: string | undefined;
}

export function createMailer(settings: EmailSettings, logger: Logger): Mailer {
  if (!settings.SENDGRID_API_KEY) return new LocalOutboxMailer(logger);
  return new SendGridMailer({ apiKey: settings.SENDGRID_API_KEY, from: settings.SENDGRID_FROM_EMAIL, baseUrl: settings.SENDGRID_BASE_URL });
}
