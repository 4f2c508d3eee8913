// Every ServiceEvent type and its payload, defined once: `recordEvent` checks a payload against it when an
// event is written (a wrong payload fails the producer's transaction, in its own tests), and consumers read
// payloads through `eventPayload`, typed by the same schema. Fields that older rows may lack are optional here,
// so an event recorded before a field existed is still read.
import { z } from "zod";

const id = z.string().min(1);
const isoTime = z.string().refine((value) => !Number.isNaN(Date.parse(value)), "must be an ISO date-time");
const count = z.number().nonnegative();

const playbackSession = {
  sessionId: id,
  userId: id,
  profileId: id,
  contentId: id,
  episodeId: id.nullish(),
};

const subscriptionBase = { userId: id, subscriptionId: id, planId: id, provider: z.string() };

export const EVENT_PAYLOADS = {
  // auth
  UserCreated: z.object({ userId: id, email: z.string(), name: z.string(), createdAt: isoTime }),
  ProfileCreated: z.object({ profileId: id, userId: id, name: z.string(), isKids: z.boolean(), maturityRating: z.string() }),
  ProfileUpdated: z.object({
    profileId: id,
    userId: id,
    version: z.number().int(),
    /** Names of the fields that changed (maturityRating, name, pin, ...). */
    changed: z.array(z.string()),
    name: z.string(),
    maturityRating: z.string(),
  }),
  ProfileDeleted: z.object({ profileId: id, userId: id }),
  DevicePaired: z.object({ deviceId: id, userId: id, name: z.string(), type: z.string() }),

  // content
  ContentPublished: z.object({
    contentId: id,
    title: z.string(),
    type: z.string(),
    genres: z.array(z.string()),
    maturityRating: z.string(),
    publishedAt: isoTime,
  }),
  /** A title's own fields (title, version, published), or one of its seasons or episodes (seasonId, episodeId). */
  ContentUpdated: z.object({
    contentId: id,
    changed: z.array(z.string()),
    title: z.string().optional(),
    version: z.number().int().optional(),
    published: z.boolean().optional(),
    seasonId: id.optional(),
    episodeId: id.optional(),
  }),
  EpisodeAdded: z.object({
    contentId: id,
    contentTitle: z.string(),
    seasonId: id.nullish(),
    seasonNumber: z.number().int().nullish(),
    episodeId: id,
    episodeNumber: z.number().int().nullish(),
    episodeTitle: z.string().nullish(),
  }),

  // streaming
  ContentRated: z.object({
    ratingId: id,
    userId: id,
    profileId: id,
    contentId: id,
    rating: z.number().int(),
    previousRating: z.number().int().nullable(),
    hasReview: z.boolean(),
  }),
  PlaybackStarted: z.object({
    ...playbackSession,
    deviceId: id.nullish(),
    entitlement: z.string().nullish(),
    /** The rental that entitled this playback (entitlement RENTAL): payment starts its window on first play. */
    rentalId: id.nullish(),
    quality: z.string().nullish(),
    positionSeconds: count.nullish(),
    durationSeconds: count.nullish(),
    startedAt: isoTime.nullish(),
  }),
  PlaybackProgressed: z.object({
    ...playbackSession,
    event: z.string().nullish(),
    positionSeconds: count.nullish(),
    durationSeconds: count.nullish(),
    progressPercent: z.number().nullish(),
    /** Watch time since the session's previous PlaybackProgressed. */
    watchedSeconds: count.nullish(),
    totalWatchedSeconds: count,
    completed: z.boolean(),
    justCompleted: z.boolean().nullish(),
    endedAt: isoTime.nullish(),
  }),
  PlaybackStopped: z.object({
    ...playbackSession,
    positionSeconds: count.nullish(),
    durationSeconds: count.nullish(),
    totalWatchedSeconds: count,
    completed: z.boolean(),
    endedAt: isoTime.nullish(),
  }),

  // payment
  SubscriptionActivated: z.object({ ...subscriptionBase, status: z.string(), currentPeriodEnd: isoTime }),
  SubscriptionCanceled: z.object({ ...subscriptionBase, cancelAtPeriodEnd: z.boolean(), endsAt: isoTime }),
  SubscriptionRenewed: z.object({
    userId: id,
    subscriptionId: id,
    planId: id.nullish(),
    planName: z.string().nullish(),
    invoiceId: id.nullish(),
    amountCents: z.number().int(),
    currency: z.string(),
    currentPeriodEnd: isoTime.nullish(),
  }),
  PaymentFailed: z.object({
    userId: id,
    subscriptionId: id.nullish(),
    rentalId: id.nullish(),
    invoiceId: id.nullish(),
    amountCents: z.number().int(),
    currency: z.string(),
    reason: z.string().nullish(),
    nextPaymentAttemptAt: isoTime.nullish(),
  }),
  RentalPurchased: z.object({ userId: id, rentalId: id, contentId: id, amountCents: z.number().int(), currency: z.string(), expiresAt: isoTime }),

  // social
  PartyWatchStarted: z.object({ sessionId: id, hostProfileId: id, userId: id, contentId: id, inviteCode: z.string() }),
  PartyWatchJoined: z.object({ sessionId: id, profileId: id, userId: id }),
  PartyWatchEnded: z.object({ sessionId: id }),
} as const;

export type EventType = keyof typeof EVENT_PAYLOADS;
/** What a producer writes for an event type. */
export type EventPayloadInput<T extends EventType> = z.input<(typeof EVENT_PAYLOADS)[T]>;
/** What a consumer reads. */
export type EventPayload<T extends EventType> = z.output<(typeof EVENT_PAYLOADS)[T]>;

export const EVENT_TYPES = Object.keys(EVENT_PAYLOADS) as EventType[];

export function isEventType(name: string): name is EventType {
  return Object.hasOwn(EVENT_PAYLOADS, name);
}

/** A payload that does not match its event type's schema (a producer's bug, or a row from elsewhere). */
export class EventPayloadError extends Error {
  constructor(eventType: string, detail: string, eventId?: bigint | string) {
    super(`${eventType}${eventId === undefined ? "" : ` ${String(eventId)}`}: unexpected payload (${detail})`);
    this.name = "EventPayloadError";
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "payload"} ${issue.message}`).join("; ");
}

/** Checks a payload for its event type; throws EventPayloadError. */
export function checkEventPayload<T extends EventType>(eventType: T, payload: unknown, eventId?: bigint | string): EventPayload<T> {
  const result = EVENT_PAYLOADS[eventType].safeParse(payload);
  if (!result.success) throw new EventPayloadError(eventType, describeIssues(result.error), eventId);
  return result.data as EventPayload<T>;
}

/** A consumed event's payload, typed by its type (throws EventPayloadError when it does not match). */
export function eventPayload<T extends EventType>(event: { id: bigint; eventType: string; payload: unknown }, expected: T): EventPayload<T> {
  if (event.eventType !== expected) throw new EventPayloadError(event.eventType, `expected a ${expected} event`, event.id);
  return checkEventPayload(expected, event.payload, event.id);
}
