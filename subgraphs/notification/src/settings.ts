// What the notification subgraph reads from the environment beyond the base configuration: email.
// Parsed once at start-up (main.ts); tests pass their own values.
import { z } from "zod";
import { parseConfig } from "@watchflixx/common";

export const notificationSettingsSchema = z.object({
  /** Empty: emails go to the local outbox (the email_outbox table and the log). */
  SENDGRID_API_KEY: z.string().trim().default("").transform((value) => value || undefined),
  SENDGRID_FROM_EMAIL: z.email("must be an email address").default("no-reply@watchflixx.dev"),
  /** SendGrid's API base URL; set for the EU region or a local test server. */
  SENDGRID_BASE_URL: z
    .url("must be a URL like https://api.sendgrid.com/")
    .optional()
    .or(z.literal("").transform(() => undefined)),
});

export type NotificationSettings = z.infer<typeof notificationSettingsSchema>;

export function parseNotificationSettings(env: Record<string, string | undefined>): NotificationSettings {
  return parseConfig(notificationSettingsSchema, env);
}
