// Rows the analytics tests need, and playback events shaped exactly as the streaming subgraph writes them
// (subgraphs/streaming/src/services/playback.service.ts), recorded the way a producer records them.
import { randomUUID } from "node:crypto";
import type { MaturityRating, PrismaClient } from "@watchflixx/db";
import { recordEvent } from "@watchflixx/common";

export async function createUser(db: PrismaClient, name: string, role: "USER" | "STAFF" = "USER") {
  return db.user.create({
    data: { email: `${name}-${randomUUID().slice(0, 8)}@example.test`, passwordHash: "not-a-real-hash", name, role },
  });
}

export async function createProfile(db: PrismaClient, userId: string, name: string, options: { isKids?: boolean } = {}) {
  return db.profile.create({
    data: { userId, name, isKids: options.isKids ?? false, maturityRating: options.isKids ? "PG" : "NC17" },
  });
}

export async function createTitle(
  db: PrismaClient,
  title: string,
  options: { rating?: MaturityRating; genres?: string[]; published?: boolean } = {},
) {
  return db.content.create({
    data: {
      title,
      type: "MOVIE",
      genres: options.genres ?? ["Drama"],
      releaseYear: 2020,
      maturityRating: options.rating ?? "PG13",
      durationMinutes: 100,
      publishedAt: options.published === false ? null : new Date("2024-01-01T00:00:00Z"),
    },
  });
}

export interface Session {
  sessionId: string;
  userId: string;
  profileId: string;
  contentId: string;
}

export function newSession(profile: { id: string; userId: string }, contentId: string): Session {
  return { sessionId: randomUUID(), userId: profile.userId, profileId: profile.id, contentId };
}

async function record(db: PrismaClient, eventType: "PlaybackStarted" | "PlaybackProgressed" | "PlaybackStopped", session: Session, payload: Record<string, unknown>): Promise<void> {
  await db.$transaction(async (tx) => {
    await recordEvent(tx, {
      eventType,
      service: "streaming",
      aggregateType: "viewing_session",
      aggregateId: session.sessionId,
      payload: { sessionId: session.sessionId, userId: session.userId, profileId: session.profileId, contentId: session.contentId, episodeId: null, ...payload },
    });
  });
}

export function playbackStarted(db: PrismaClient, session: Session, startedAt = new Date()): Promise<void> {
  return record(db, "PlaybackStarted", session, {
    deviceId: null,
    entitlement: "SUBSCRIPTION",
    quality: "HD",
    positionSeconds: 0,
    durationSeconds: 6000,
    startedAt: startedAt.toISOString(),
  });
}

export function playbackProgressed(
  db: PrismaClient,
  session: Session,
  report: { positionSeconds: number; watchedSeconds: number; totalWatchedSeconds: number; completed?: boolean; justCompleted?: boolean },
): Promise<void> {
  return record(db, "PlaybackProgressed", session, {
    event: "HEARTBEAT",
    positionSeconds: report.positionSeconds,
    durationSeconds: 6000,
    progressPercent: (report.positionSeconds / 6000) * 100,
    watchedSeconds: report.watchedSeconds,
    totalWatchedSeconds: report.totalWatchedSeconds,
    completed: report.completed ?? false,
    justCompleted: report.justCompleted ?? false,
  });
}

export function playbackStopped(
  db: PrismaClient,
  session: Session,
  report: { positionSeconds: number; totalWatchedSeconds: number; completed?: boolean },
): Promise<void> {
  return record(db, "PlaybackStopped", session, {
    positionSeconds: report.positionSeconds,
    durationSeconds: 6000,
    totalWatchedSeconds: report.totalWatchedSeconds,
    completed: report.completed ?? false,
    reason: "STOPPED",
    endedAt: new Date().toISOString(),
  });
}
