// The notification subgraph's configuration: the shared base (packages/common/src/config.ts), NOTIFICATION_PORT,
// and its own settings: email. Parsed once at start-up by runSubgraph (or a test harness); nothing else in this
// subgraph reads process.env.
import { z } from "zod";
import { defineSubgraphConfig, type ConfigOf } from "@watchflixx/common";

export const notificationConfigSchema = defineSubgraphConfig("notification", {
  /** Empty: emails go to the local outbox (the email_outbox table and the log). */
  SENDGRID_API_KEY: z.string().trim().default("").transform((value) => value || undefined),
  SENDGRID_FROM_EMAIL: z.email("must be an email address").default("no-reply@watchflixx.dev"),
  /** SendGrid's API base URL; set for the EU region or a local test server. */
  SENDGRID_BASE_URL: z
    .url("must be a URL like https://api.sendgrid.com/")
    .optional()
    .or(z.literal("").transform(() => undefined)),
});

export type NotificationConfig = ConfigOf<typeof notificationConfigSchema>;
