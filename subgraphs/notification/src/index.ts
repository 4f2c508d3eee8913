// The notification subgraph: consumes other services' events into notifications (live through the
// `notificationAdded` subscription, by email where it matters), and serves support tickets. Built from the deps
// start-up hands in: its services once, the resolvers with them; the server's start runs the background work
// (the email sender and the event consumer).
import {
  buildFederatedSchema,
  startSubgraphConsumer,
  type SubgraphConsumerSetting,
  type SubgraphDefinition,
  type SubgraphDeps,
  type SubgraphModule,
} from "@watchflixx/common";
import { notificationConfigSchema, type NotificationConfig } from "./config.ts";
import { ContentRef, ProfileRef } from "./entities/references.ts";
import { createLoaders, type NotificationLoaders } from "./loaders.ts";
import { NotificationResolver } from "./resolvers/notification.resolver.ts";
import { SupportResolver } from "./resolvers/support.resolver.ts";
import { EmailSender } from "./services/email-outbox.ts";
import { createEventHandlers } from "./services/event-handlers.ts";
import { createMailer } from "./services/mailer.ts";
import { NotificationService } from "./services/notification.service.ts";
import { SupportService } from "./services/support.service.ts";

export type { NotificationLoaders } from "./loaders.ts";
export { notificationConfigSchema, type NotificationConfig } from "./config.ts";
export { LocalOutboxMailer, SendGridMailer, type Mailer } from "./services/mailer.ts";

/** How the background work runs; main.ts takes the defaults, tests tune them. */
export interface NotificationWorkers {
  /** The event consumer, started with the server (default on, woken through the bus's Redis); `false` leaves it off. */
  consumer?: SubgraphConsumerSetting;
  /** How often the email sender looks for queued email besides being woken. Default 5 s. */
  emailPollIntervalMs?: number;
}

export async function createNotificationSubgraph(
  deps: SubgraphDeps<NotificationConfig>,
  workers: NotificationWorkers = {},
): Promise<SubgraphDefinition<NotificationLoaders>> {
  const notifications = new NotificationService(deps.db, deps.subscriptionPubSub, deps.profileAccess);
  const email = new EmailSender(deps.db, createMailer(deps.config, deps.logger), deps.logger, workers.emailPollIntervalMs);
  const support = new SupportService(deps.db, notifications, email);
  const handlers = createEventHandlers(notifications, email);
  const { schema, sdl } = await buildFederatedSchema({
    resolverInstances: [new NotificationResolver(notifications), new SupportResolver(support)],
    orphanedTypes: [ProfileRef, ContentRef],
  });
  return {
    name: "notification",
    schema,
    sdl,
    createLoaders,
    // graphql-ws on /graphql and the bus's pub/sub (context.pubSub), served by serveSubgraph.
    subscriptions: true,
    async onStart(_httpServer, started) {
      email.start();
      started.logger.info(`email: ${email.provider === "sendgrid" ? "SendGrid" : "local outbox (email_outbox table)"}`);
      const consumer = startSubgraphConsumer("notification", handlers, started, workers.consumer);
      return async () => {
        await consumer?.stop();
        await email.stop();
      };
    },
  };
}

/** The module with its background work tuned (tests: a faster consumer, a slower email poll, no consumer). */
export function notificationSubgraphWith(workers: NotificationWorkers): SubgraphModule<NotificationConfig, NotificationLoaders> {
  return {
    name: "notification",
    configSchema: notificationConfigSchema,
    create: (deps) => createNotificationSubgraph(deps, workers),
  };
}

/** What main.ts, the harnesses and embedded mode start: `launchSubgraph(notificationSubgraph, ...)`. */
export const notificationSubgraph = notificationSubgraphWith({});
