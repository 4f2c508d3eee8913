// Thin resolvers: arguments in, one service call, entities out.
import { Arg, Ctx, ID, Int, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import { Notification, toNotification } from "../entities/notification.ts";
import { subscribeToNotifications, type NotificationRecord, type NotificationService } from "../services/notification.service.ts";
import type { NotificationContext } from "./context.ts";

@Resolver(() => Notification)
export class NotificationResolver {
  constructor(private readonly inbox: NotificationService) {}

  @Query(() => [Notification], {
    description:
      "The caller's notifications, newest first. With profileId (one of the caller's profiles), that profile's and the " +
      "account-wide ones. first: default 20, at most 100.",
  })
  async notifications(
    @Arg("first", () => Int, { nullable: true }) first: number | null | undefined,
    @Arg("unreadOnly", () => Boolean, { nullable: true }) unreadOnly: boolean | null | undefined,
    @Arg("profileId", () => ID, { nullable: true }) profileId: string | null | undefined,
    @Ctx() context: NotificationContext,
  ): Promise<Notification[]> {
    return (await this.inbox.list(context.identity, { first, unreadOnly, profileId })).map(toNotification);
  }

  @Mutation(() => Notification, { description: "Marks one of the caller's notifications read (NOT_FOUND otherwise); idempotent." })
  async markNotificationRead(@Arg("id", () => ID) id: string, @Ctx() context: NotificationContext): Promise<Notification> {
    return toNotification(await this.inbox.markRead(context.identity, id));
  }

  // type-graphql calls `subscribe` without the resolver instance: the stream comes from the context's pub/sub
  // (the subgraph's one, deps.subscriptionPubSub()).
  @Subscription(() => Notification, {
    description: "Each new notification of the caller's account, as it is created.",
    subscribe: ({ context }) => {
      const { pubSub, identity } = context as NotificationContext;
      return subscribeToNotifications(pubSub, identity);
    },
  })
  notificationAdded(@Root() notification: NotificationRecord): Notification {
    return toNotification(notification);
  }
}
