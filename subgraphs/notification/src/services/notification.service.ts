// Notifications: written (by the event consumer and by support replies) in the caller's transaction, read and
// marked read by their owner, and announced on Redis pub/sub after the commit for `notificationAdded`.
import { NotificationType, Prisma, type Notification as NotificationRow, type PrismaClient } from "@watchflixx/db";
import {
  ForbiddenError,
  isGatewaySubscriber,
  NotFoundError,
  pageSize,
  redisKey,
  requireIdentity,
  resolveViewerProfile,
  type Identity,
  type ProfileAccessCache,
  type SubscriptionPubSub,
} from "@watchflixx/common";

/** What is stored and published (a row, possibly after a JSON round trip through Redis). */
export type NotificationRecord = Pick<NotificationRow, "id" | "userId" | "profileId" | "type" | "title" | "body" | "data" | "readAt" | "createdAt">;

/** `notifications`' arguments as the caller gives them. */
export interface NotificationFilter {
  first?: number | null;
  unreadOnly?: boolean | null;
  /** That profile's and the account-wide ones (one of the caller's profiles). */
  profileId?: string | null;
}

export interface NewNotification {
  userId: string;
  profileId?: string | null;
  type: NotificationType;
  title: string;
  body: string;
  data?: Prisma.InputJsonValue;
  /**
   * The ServiceEvent it comes from: the same event never notifies the same profile twice, and the notification
   * is dated when the event happened, so a consumer catching up (or working on two aggregates side by side)
   * never shows the feed out of order.
   */
  source?: { id: bigint; createdAt: Date } | null;
}

const RECORD_FIELDS = {
  id: true,
  userId: true,
  profileId: true,
  type: true,
  title: true,
  body: true,
  data: true,
  readAt: true,
  createdAt: true,
} as const;

/** The Redis pub/sub topic of one account's new notifications, in the environment's Redis namespace. */
export function notificationTopic(userId: string): string {
  return redisKey("notification", "added", userId);
}

/**
 * Inserts notifications in the caller's transaction and returns the ones that are new. With a source event,
 * a row that exists already (same account, profile and event) is skipped, never duplicated.
 */
export async function insertNotifications(tx: Prisma.TransactionClient, notifications: NewNotification[]): Promise<NotificationRecord[]> {
  const created: NotificationRecord[] = [];
  for (let start = 0; start < notifications.length; start += 500) {
    const chunk = notifications.slice(start, start + 500);
    const fresh: NewNotification[] = [];
    for (const notification of chunk) {
      // The unique (user, profile, source event) cannot catch account-wide rows (NULL profile): look first.
      if (notification.source && !notification.profileId) {
        const existing = await tx.notification.findFirst({
          where: { userId: notification.userId, profileId: null, sourceEventId: String(notification.source.id) },
          select: { id: true },
        });
        if (existing) continue;
      }
      fresh.push(notification);
    }
    if (fresh.length === 0) continue;
    const rows = await tx.notification.createManyAndReturn({
      data: fresh.map((notification) => ({
        userId: notification.userId,
        profileId: notification.profileId ?? null,
        type: notification.type,
        title: notification.title,
        body: notification.body,
        data: notification.data ?? Prisma.JsonNull,
        sourceEventId: notification.source ? String(notification.source.id) : null,
        ...(notification.source ? { createdAt: notification.source.createdAt } : {}),
      })),
      skipDuplicates: true,
      select: RECORD_FIELDS,
    });
    created.push(...rows);
  }
  return created;
}

/** The `notificationAdded` stream of the caller's own account, on the subgraph's pub/sub. */
export function subscribeToNotifications(pubSub: SubscriptionPubSub | undefined, viewer: Identity | null): AsyncIterable<unknown> {
  const identity = requireIdentity({ identity: viewer });
  // The gateway's shared upstream subscriptions (SERVICE identity) would mix accounts: this stream is per
  // account and must be opened with the subscriber's own identity.
  if (isGatewaySubscriber(identity)) {
    throw new ForbiddenError("notificationAdded is per account: subscribe with the account's own identity.");
  }
  if (!pubSub) throw new Error("notification subgraph started without subscriptions");
  return pubSub.asyncIterableIterator(notificationTopic(identity.userId)) as AsyncIterable<unknown>;
}

/** An account's notifications: its own reads, and the announcement of new ones to `notificationAdded`. */
export class NotificationService {
  /** `pubSub`: the subgraph's subscription pub/sub, opened when first needed (building does no I/O). */
  constructor(
    private readonly db: PrismaClient,
    private readonly pubSub: () => SubscriptionPubSub,
    private readonly profileAccess: ProfileAccessCache,
  ) {}

  /** Announces committed notifications to their accounts' `notificationAdded` subscribers (all instances). */
  async publish(notifications: readonly NotificationRecord[]): Promise<void> {
    if (notifications.length === 0) return;
    const pubSub = this.pubSub();
    for (const notification of notifications) await pubSub.publish(notificationTopic(notification.userId), notification);
  }

  /** The caller's notifications, newest first; with profileId, that profile's and the account-wide ones. */
  async list(viewer: Identity | null, filter: NotificationFilter): Promise<NotificationRecord[]> {
    const identity = requireIdentity({ identity: viewer });
    const take = pageSize(filter.first);
    const profile = filter.profileId ? await resolveViewerProfile(this.db, identity, filter.profileId, this.profileAccess) : null;
    return this.db.notification.findMany({
      where: {
        userId: identity.userId,
        ...(filter.unreadOnly ? { readAt: null } : {}),
        ...(profile ? { OR: [{ profileId: profile.id }, { profileId: null }] } : {}),
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take,
      select: RECORD_FIELDS,
    });
  }

  /** Marks one of the caller's notifications read (NOT_FOUND when it is not theirs); idempotent. */
  async markRead(viewer: Identity | null, id: string): Promise<NotificationRecord> {
    const identity = requireIdentity({ identity: viewer });
    await this.db.notification.updateMany({
      where: { id, userId: identity.userId, readAt: null },
      data: { readAt: new Date(), version: { increment: 1 }, syncedAt: new Date() },
    });
    const row = await this.db.notification.findFirst({ where: { id, userId: identity.userId }, select: RECORD_FIELDS });
    if (!row) throw new NotFoundError("Notification");
    return row;
  }
}
