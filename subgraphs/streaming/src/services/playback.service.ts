// startPlayback and reportProgress: who may play what (entitlement, stream limit, parental limit), the
// viewing session's life (heartbeats, stop, going stale), the profile's resume point, and the playback
// events analytics consumes, each written in the same transaction as the change it describes.
import type { Prisma, PrismaClient } from "@watchflixx/db";
import {
  AppError,
  BadUserInputError,
  ErrorCode,
  NotFoundError,
  recordEvent,
  requireIdentity,
  requireUnlocked,
  resolveViewerProfile,
  type Identity,
  type RateLimits,
  requireWithinMaturityLimit,
} from "@watchflixx/common";
import {
  findEpisodeOf,
  findTitle,
  firstEpisodeOf,
  isSeries,
  pickRendition,
  playableDurationSeconds,
  requirePlayableShape,
  type CatalogTitle,
} from "./catalog.ts";
import {
  lockAccountStreams,
  requireEntitlement,
  requireFreeStream,
  STALE_SESSION_MS,
} from "./entitlement.ts";
import { measureProgress, resumePointOf } from "./progress.service.ts";
import { contentKey, episodeKey, type ContentKey, type EpisodeKey } from "./refs.ts";
import type { StreamingReader, ViewerProfiles } from "./viewer.ts";

const SERVICE = "streaming";
const SESSION_AGGREGATE = "viewing_session";
/** PlaybackProgressed is written at most once per this much position or watch time (plus pause, stop, completion). */
export const PROGRESS_EVENT_EVERY_SECONDS = 30;

/** What a player reports with a position. */
export const PlaybackEvent = {
  PLAY: "PLAY",
  PAUSE: "PAUSE",
  SEEK: "SEEK",
  HEARTBEAT: "HEARTBEAT",
  STOP: "STOP",
} as const;
export type PlaybackEvent = (typeof PlaybackEvent)[keyof typeof PlaybackEvent];

/** startPlayback's argument as the caller gives it. */
export interface StartPlaybackRequest {
  profileId: string;
  contentId: string;
  /** For a series, the episode to play; default: the episode to resume, else S1E1. Not allowed for a film. */
  episodeId?: string | null;
  /** One of the caller's devices; default: the device the access token was issued to. */
  deviceId?: string | null;
}

/** reportProgress's argument as the caller gives it. */
export interface ProgressReport {
  sessionId: string;
  positionSeconds: number;
  /** Default HEARTBEAT. */
  event?: PlaybackEvent | null;
}

export interface StartedPlayback {
  id: string;
  manifestUrl: string;
  resumePositionSeconds: number;
  content: ContentKey;
  episode: EpisodeKey | null;
  startedAt: Date;
}

export interface ReportedProgress {
  positionSeconds: number;
  progressPercent: number;
  completed: boolean;
}

/** Where a viewing session's events go: the session is their aggregate (its events stay in order). */
function sessionAggregate(sessionId: string) {
  return { service: SERVICE, aggregateType: SESSION_AGGREGATE, aggregateId: sessionId } as const;
}

function checkReport(report: ProgressReport): { sessionId: string; positionSeconds: number; event: PlaybackEvent } {
  if (!Number.isInteger(report.positionSeconds) || report.positionSeconds < 0) {
    throw new BadUserInputError("positionSeconds must be 0 or more.", "positionSeconds");
  }
  return { sessionId: report.sessionId, positionSeconds: report.positionSeconds, event: report.event ?? PlaybackEvent.HEARTBEAT };
}

/** The film, or the episode of a series to play: the one asked for, else the one to resume, else S1E1. */
async function choosePlayable(
  db: PrismaClient,
  profileId: string,
  title: CatalogTitle,
  episodeId: string | null | undefined,
): Promise<string | null> {
  requirePlayableShape(title, episodeId);
  if (!isSeries(title)) return null;
  if (episodeId) return (await findEpisodeOf(db, title.id, episodeId)).id;
  const resume = await resumePointOf(db, profileId, title.id);
  if (resume?.episode && !resume.completed) return resume.episode.id;
  const first = await firstEpisodeOf(db, title.id);
  if (!first) throw new NotFoundError("Episode");
  return first;
}

/** A device of the caller's to record the session against: the one named (NOT_FOUND if not theirs), else the token's. */
async function chooseDevice(db: PrismaClient, identity: Identity, deviceId: string | null | undefined): Promise<string | null> {
  const wanted = deviceId ?? identity.deviceId;
  if (!wanted) return null;
  const device = await db.device.findUnique({ where: { id: wanted }, select: { userId: true, revokedAt: true } });
  const usable = device !== null && device.userId === identity.userId && device.revokedAt === null;
  if (usable) return wanted;
  if (deviceId) throw new NotFoundError("Device");
  return null;
}

/** Where this profile left this film or episode; 0 when new or finished. */
async function resumePosition(db: PrismaClient, profileId: string, playableId: string): Promise<number> {
  const history = await db.watchHistory.findUnique({
    where: { profileId_playableId: { profileId, playableId } },
    select: { positionSeconds: true, completed: true },
  });
  return history && !history.completed ? history.positionSeconds : 0;
}

interface LockedSession {
  id: string;
  userId: string;
  profileId: string;
  contentId: string;
  episodeId: string | null;
  lastHeartbeatAt: Date;
  endedAt: Date | null;
  positionSeconds: number;
  watchedSeconds: number;
  completed: boolean;
}

/** The caller's session, locked until the transaction ends (reports of one session apply one at a time). */
async function lockOwnSession(tx: Prisma.TransactionClient, userId: string, sessionId: string): Promise<LockedSession> {
  const rows = await tx.$queryRaw<LockedSession[]>`
    SELECT id, user_id AS "userId", profile_id AS "profileId", content_id AS "contentId", episode_id AS "episodeId",
           last_heartbeat_at AS "lastHeartbeatAt", ended_at AS "endedAt", position_seconds AS "positionSeconds",
           watched_seconds AS "watchedSeconds", completed
      FROM viewing_sessions
     WHERE id = ${sessionId}
       FOR UPDATE`;
  const session = rows[0];
  if (!session || session.userId !== userId) throw new NotFoundError("Playback session");
  return session;
}

/** What the last PlaybackProgressed of a session said (how much watch time and position analytics already has). */
async function lastProgressEvent(tx: Prisma.TransactionClient, sessionId: string): Promise<{ positionSeconds: number; totalWatchedSeconds: number } | null> {
  const event = await tx.serviceEvent.findFirst({
    where: { aggregateType: SESSION_AGGREGATE, aggregateId: sessionId, eventType: "PlaybackProgressed" },
    orderBy: { id: "desc" },
    select: { payload: true },
  });
  const payload = event?.payload;
  if (!payload || typeof payload !== "object" || Array.isArray(payload)) return null;
  const { positionSeconds, totalWatchedSeconds } = payload as Record<string, unknown>;
  return typeof positionSeconds === "number" && typeof totalWatchedSeconds === "number" ? { positionSeconds, totalWatchedSeconds } : null;
}

export class PlaybackService {
  constructor(
    private readonly db: PrismaClient,
    private readonly rateLimits: RateLimits,
    private readonly viewers: ViewerProfiles,
  ) {}

  /**
   * Starts a viewing session. Checks, in this order: the profile is the caller's (NOT_FOUND) and, if it has a
   * PIN, unlocked on this device (FORBIDDEN, reason PROFILE_LOCKED), the title
   * (and episode) exist (NOT_FOUND), the title is within the profile's maturity limit (FORBIDDEN, reason
   * MATURITY_LIMIT), the account is entitled (PAYMENT_REQUIRED), and a stream is free (FORBIDDEN, reason
   * STREAM_LIMIT; counted and claimed under a per-account lock). Every open session counts, whichever
   * device plays it, until it is stopped or has been silent for 2 minutes.
   */
  async start(reader: StreamingReader, input: StartPlaybackRequest): Promise<StartedPlayback> {
    const identity = requireIdentity({ identity: reader.viewer });
    await this.rateLimits.consume("playback-start-profile", `${identity.userId}\n${input.profileId}`, "playback starts");
    const { db } = this;
    const profile = await this.viewers.unlocked(reader, input.profileId);
    const title = await findTitle(db, identity, input.contentId);
    const episodeId = await choosePlayable(db, profile.id, title, input.episodeId);
    requireWithinMaturityLimit(title.maturityRating, profile.maturityLimit);
    const deviceId = await chooseDevice(db, identity, input.deviceId);
    const resumePositionSeconds = await resumePosition(db, profile.id, episodeId ?? title.id);

    return db.$transaction(async (tx) => {
      // Everything from here on sees the account as it is once the starts before this one have committed.
      await lockAccountStreams(tx, identity.userId);
      const now = new Date();
      const entitlement = await requireEntitlement(tx, identity.userId, title.id, now);
      const rendition = await pickRendition(tx, title.id, episodeId, entitlement.maxQuality);
      await requireFreeStream(tx, identity.userId, entitlement, now);
      const session = await tx.viewingSession.create({
        data: {
          userId: identity.userId,
          profileId: profile.id,
          contentId: title.id,
          episodeId,
          deviceId,
          startedAt: now,
          lastHeartbeatAt: now,
          positionSeconds: resumePositionSeconds,
        },
        select: { id: true, startedAt: true },
      });
      await recordEvent(tx, {
        ...sessionAggregate(session.id),
        eventType: "PlaybackStarted",
        payload: {
          sessionId: session.id,
          userId: identity.userId,
          profileId: profile.id,
          contentId: title.id,
          episodeId,
          deviceId,
          entitlement: entitlement.source,
          // Payment starts this rental's first-play window from the event.
          rentalId: entitlement.rentalId,
          quality: rendition.quality,
          positionSeconds: resumePositionSeconds,
          durationSeconds: rendition.durationSeconds,
          startedAt: now.toISOString(),
        },
      });
      return {
        id: session.id,
        manifestUrl: rendition.manifestUrl,
        resumePositionSeconds,
        content: contentKey(title.id),
        episode: episodeKey(episodeId),
        startedAt: session.startedAt,
      };
    });
  }

  /**
   * A player's report. Only the session's owner (NOT_FOUND otherwise); a negative position or one beyond the
   * running time is BAD_USER_INPUT. Saves the profile's resume point (WatchHistory, one row per film/episode),
   * keeps the session alive (heartbeat) or ends it (STOP). Repeating a report changes nothing more: same
   * answer, no extra watch time, no extra event.
   *
   * Watch time: a forward move of the position counts as watched, except for SEEK. A session that went stale
   * (no heartbeat for 2 minutes) no longer holds a stream: resuming it claims one again, under the same checks
   * as startPlayback (PAYMENT_REQUIRED, FORBIDDEN with reason STREAM_LIMIT). A stopped session changes no more:
   * STOP again answers as before, anything else is FORBIDDEN (reason SESSION_ENDED: start playback again).
   */
  async report(reader: StreamingReader, request: ProgressReport): Promise<ReportedProgress> {
    const identity = requireIdentity({ identity: reader.viewer });
    await this.rateLimits.consume("playback-progress-account", identity.userId, "playback reports");
    const report = checkReport(request);
    const { positionSeconds, event } = report;

    return this.db.$transaction(async (tx) => {
      // The account's lock before the session's row: the order startPlayback takes them in, so no deadlock.
      await lockAccountStreams(tx, identity.userId);
      const now = new Date();
      const session = await lockOwnSession(tx, identity.userId, report.sessionId);
      // The unlock may have ended since the session started (sign-out on this device, 12 hours).
      requireUnlocked(await resolveViewerProfile(tx, identity, session.profileId));
      const durationSeconds = await playableDurationSeconds(tx, session.contentId, session.episodeId);
      if (durationSeconds === null) throw new NotFoundError("Video");
      if (positionSeconds > durationSeconds) {
        throw new BadUserInputError(`positionSeconds is beyond the running time (${durationSeconds} s).`, "positionSeconds");
      }
      if (session.endedAt !== null) {
        if (event !== PlaybackEvent.STOP) {
          throw new AppError(ErrorCode.FORBIDDEN, "This playback session has ended; start playback again.", { reason: "SESSION_ENDED" });
        }
        return { positionSeconds: session.positionSeconds, ...measureProgress(session.positionSeconds, durationSeconds) };
      }
      const { progressPercent, completed } = measureProgress(positionSeconds, durationSeconds);
      const stale = now.getTime() - session.lastHeartbeatAt.getTime() > STALE_SESSION_MS;
      if (stale && event !== PlaybackEvent.STOP) {
        const entitlement = await requireEntitlement(tx, identity.userId, session.contentId, now);
        await requireFreeStream(tx, identity.userId, entitlement, now, session.id);
      }

      await saveHistory(tx, session, { positionSeconds, durationSeconds, progressPercent, completed });

      const watchedDelta = event === PlaybackEvent.SEEK ? 0 : Math.max(0, positionSeconds - session.positionSeconds);
      const stopping = event === PlaybackEvent.STOP;
      const watchedSeconds = session.watchedSeconds + watchedDelta;
      const sessionCompleted = session.completed || completed;
      const justCompleted = sessionCompleted && !session.completed;
      await tx.viewingSession.update({
        where: { id: session.id },
        data: {
          lastHeartbeatAt: now,
          positionSeconds,
          watchedSeconds,
          completed: sessionCompleted,
          ...(stopping ? { endedAt: now } : {}),
          version: { increment: 1 },
        },
      });

      const base = {
        sessionId: session.id,
        userId: session.userId,
        profileId: session.profileId,
        contentId: session.contentId,
        episodeId: session.episodeId,
      };
      const reported = (await lastProgressEvent(tx, session.id)) ?? { positionSeconds: -1, totalWatchedSeconds: 0 };
      const unreportedSeconds = watchedSeconds - reported.totalWatchedSeconds;
      const positionMoved = positionSeconds !== reported.positionSeconds;
      const worthAnEvent =
        justCompleted ||
        unreportedSeconds >= PROGRESS_EVENT_EVERY_SECONDS ||
        Math.abs(positionSeconds - reported.positionSeconds) >= PROGRESS_EVENT_EVERY_SECONDS ||
        ((event === PlaybackEvent.PAUSE || event === PlaybackEvent.STOP) && (unreportedSeconds > 0 || positionMoved));
      if (worthAnEvent) {
        await recordEvent(tx, {
          ...sessionAggregate(session.id),
          eventType: "PlaybackProgressed",
          payload: {
            ...base,
            event,
            positionSeconds,
            durationSeconds,
            progressPercent,
            // Watch time since this session's previous PlaybackProgressed: the sum over a session is its total.
            watchedSeconds: unreportedSeconds,
            totalWatchedSeconds: watchedSeconds,
            completed: sessionCompleted,
            justCompleted,
          },
        });
      }
      if (stopping) {
        await recordEvent(tx, {
          ...sessionAggregate(session.id),
          eventType: "PlaybackStopped",
          payload: {
            ...base,
            positionSeconds,
            durationSeconds,
            totalWatchedSeconds: watchedSeconds,
            completed: sessionCompleted,
            endedAt: now.toISOString(),
          },
        });
      }
      return { positionSeconds, progressPercent, completed };
    });
  }
}

/** Upserts the profile's resume point for this film/episode; an unchanged position writes nothing. */
async function saveHistory(
  tx: Prisma.TransactionClient,
  session: LockedSession,
  progress: { positionSeconds: number; durationSeconds: number; progressPercent: number; completed: boolean },
): Promise<void> {
  const playableId = session.episodeId ?? session.contentId;
  const key = { profileId_playableId: { profileId: session.profileId, playableId } };
  const existing = await tx.watchHistory.findUnique({
    where: key,
    select: { positionSeconds: true, durationSeconds: true, completed: true },
  });
  if (
    existing &&
    existing.positionSeconds === progress.positionSeconds &&
    existing.durationSeconds === progress.durationSeconds &&
    existing.completed === progress.completed
  ) {
    return;
  }
  await tx.watchHistory.upsert({
    where: key,
    create: {
      profileId: session.profileId,
      contentId: session.contentId,
      episodeId: session.episodeId,
      playableId,
      ...progress,
    },
    update: { ...progress, version: { increment: 1 } },
  });
}
