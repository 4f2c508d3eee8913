// Thin resolvers: arguments in, service call, entities out.
import { Arg, Ctx, ID, Int, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import type { SubgraphContext } from "@watchflixx/common";
import { Notification, toNotification, type NotificationRecord } from "../entities/notification.ts";
import { listNotifications, markNotificationRead, subscribeToNotifications } from "../services/notification.service.ts";

@Resolver(() => Notification)
export class NotificationResolver {
  @Query(() => [Notification], {
    description:
      "The caller's notifications, newest first. With profileId (one of the caller's profiles), that profile's and the " +
      "account-wide ones. first: default 20, at most 100.",
  })
  async notifications(
    @Arg("first", () => Int, { nullable: true }) first: number | null | undefined,
    @Arg("unreadOnly", () => Boolean, { nullable: true }) unreadOnly: boolean | null | undefined,
    @Arg("profileId", () => ID, { nullable: true }) profileId: string | null | undefined,
    @Ctx() context: SubgraphContext,
  ): Promise<Notification[]> {
    return (await listNotifications(context, { first, unreadOnly, profileId })).map(toNotification);
  }

  @Mutation(() => Notification, { description: "Marks one of the caller's notifications read (NOT_FOUND otherwise); idempotent." })
  async markNotificationRead(@Arg("id", () => ID) id: string, @Ctx() context: SubgraphContext): Promise<Notification> {
    return toNotification(await markNotificationRead(context, id));
  }

  @Subscription(() => Notification, {
    description: "Each new notification of the caller's account, as it is created.",
    subscribe: ({ context }) => subscribeToNotifications(context as SubgraphContext),
  })
  notificationAdded(@Root() notification: NotificationRecord): Notification {
    return toNotification(notification);
  }
}
