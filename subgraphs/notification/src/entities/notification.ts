// A notification as clients see it. Rows are written by the event consumer (new episodes, payments, parties)
// and by staff answers to support tickets.
import { Directive, Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { NotificationType } from "@watchflixx/db";
import { DateTimeScalar, PRIVATE_HINT } from "@watchflixx/common";
import type { NotificationRecord } from "../services/notification.service.ts";
import { ContentRef, ProfileRef } from "./references.ts";

registerEnumType(NotificationType, {
  name: "NotificationType",
  valuesConfig: {
    NEW_EPISODE: { description: "A new episode of a title on one of the profile's watchlists." },
    PAYMENT_FAILED: { description: "A subscription or rental payment did not go through." },
    SUBSCRIPTION_RENEWED: { description: "The subscription renewed and was charged." },
    PARTY_INVITE: { description: "A watch party started: its invite code to share." },
    SUPPORT_REPLY: { description: "Staff answered one of the account's support tickets." },
  },
});

export { NotificationType };

@Directive(PRIVATE_HINT)
@ObjectType("Notification")
export class Notification {
  @Field(() => ID)
  id!: string;

  @Field(() => NotificationType)
  type!: NotificationType;

  @Field(() => String)
  title!: string;

  @Field(() => String)
  body!: string;

  @Field(() => Boolean)
  read!: boolean;

  @Field(() => DateTimeScalar, { nullable: true })
  readAt!: Date | null;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => ProfileRef, { nullable: true, description: "The profile it is for; null for the whole account." })
  profile!: ProfileRef | null;

  @Field(() => ContentRef, { nullable: true, description: "The title it is about, if any." })
  content!: ContentRef | null;
}


function contentIdOf(data: unknown): string | null {
  if (data && typeof data === "object" && !Array.isArray(data)) {
    const value = (data as Record<string, unknown>).contentId;
    if (typeof value === "string") return value;
  }
  return null;
}

function asDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

export function toNotification(row: NotificationRecord): Notification {
  const contentId = contentIdOf(row.data);
  return {
    id: row.id,
    type: row.type,
    title: row.title,
    body: row.body,
    read: row.readAt !== null,
    readAt: row.readAt === null ? null : asDate(row.readAt),
    createdAt: asDate(row.createdAt),
    profile: row.profileId ? { id: row.profileId } : null,
    content: contentId ? { id: contentId } : null,
  };
}
