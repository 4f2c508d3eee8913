// The notification subgraph: consumes other services' events into notifications (live through the
// `notificationAdded` subscription, by email where it matters), and serves support tickets.
import type { ContainerType } from "type-graphql";
import { buildFederatedSchema, startSubgraphConsumer, type SubgraphConsumerSetting, type SubgraphDefinition } from "@watchflixx/common";
import { ContentRef, ProfileRef } from "./entities/references.ts";
import { createLoaders, type NotificationLoaders } from "./loaders.ts";
import { NotificationResolver } from "./resolvers/notification.resolver.ts";
import { SupportResolver } from "./resolvers/support.resolver.ts";
import { startEmailSender } from "./services/email-outbox.ts";
import { createEventHandlers } from "./services/event-handlers.ts";
import { createMailer, type Mailer } from "./services/mailer.ts";
import { NotificationRuntime } from "./services/runtime.ts";
import { parseNotificationSettings, type NotificationSettings } from "./settings.ts";

export type { NotificationLoaders } from "./loaders.ts";
export { LocalOutboxMailer, SendGridMailer, type Mailer } from "./services/mailer.ts";
export { notificationSettingsSchema, parseNotificationSettings, type NotificationSettings } from "./settings.ts";

export interface NotificationSubgraphOptions {
  /** Email settings; default: SendGrid off (local outbox). main.ts passes the environment's. */
  settings?: NotificationSettings;
  /** Overrides the mailer the settings would pick. */
  mailer?: Mailer;
  /** The event consumer, started with the server (default on, waking on REDIS_URL); `false` leaves it off. */
  consumer?: SubgraphConsumerSetting;
  /** How often the email sender looks for queued email besides being woken. Default 5 s. */
  emailPollIntervalMs?: number;
}

export async function createNotificationSubgraph(options: NotificationSubgraphOptions = {}): Promise<SubgraphDefinition<NotificationLoaders>> {
  const settings = options.settings ?? parseNotificationSettings({});
  const runtime = new NotificationRuntime();
  const instances = new Map<unknown, unknown>([
    [NotificationResolver, new NotificationResolver()],
    [SupportResolver, new SupportResolver(runtime)],
  ]);
  const container: ContainerType = {
    get(resolverClass: unknown) {
      const instance = instances.get(resolverClass);
      if (!instance) throw new Error(`notification subgraph: no instance of ${String(resolverClass)}`);
      return instance;
    },
  };
  const { schema, sdl } = await buildFederatedSchema({
    resolvers: [NotificationResolver, SupportResolver],
    orphanedTypes: [ProfileRef, ContentRef],
    container,
  });
  return {
    name: "notification",
    schema,
    sdl,
    createLoaders,
    // graphql-ws on /graphql and Redis pub/sub (deps.pubSub, context.pubSub), served by startSubgraph.
    subscriptions: true,
    async onStart(_httpServer, deps) {
      const mailer = options.mailer ?? createMailer(settings, deps.logger);
      const emailSender = startEmailSender({ db: deps.db, mailer, logger: deps.logger, pollIntervalMs: options.emailPollIntervalMs });
      runtime.attachEmailSender(emailSender);
      deps.logger.info(`email: ${mailer.provider === "sendgrid" ? "SendGrid" : "local outbox (email_outbox table)"}`);
      const consumer = startSubgraphConsumer("notification", createEventHandlers({ pubSub: deps.pubSub, runtime }), deps, options.consumer);
      return async () => {
        await consumer?.stop();
        runtime.attachEmailSender(null);
        await emailSender.stop();
      };
    },
  };
}
