// The analytics consumer: playback events (written by streaming) become viewing facts and running totals,
// one small increment per event, inside the consumer's transaction (see startConsumer in @watchflixx/common:
// the event is marked processed by "analytics" in the same transaction, so each one is applied once).
//
//   PlaybackStarted     a view: viewing_facts row per session (a session is counted once, whatever happens),
//                       content_analytics.views + 1, content_daily_views(day) + 1, and a new ContentViewer
//                       (profile, title) pair adds to unique_viewers.
//   PlaybackProgressed  watch time: the session's cumulative `totalWatchedSeconds` minus what the fact already
//   PlaybackStopped     holds is added to the title's total; the first report of a completed session adds a
//                       completion.
import { z } from "zod";
import type { EventHandler, ConsumedEvent } from "@watchflixx/common";
import type { Prisma } from "@watchflixx/db";

const sessionFields = {
  sessionId: z.string().min(1),
  userId: z.string().min(1),
  profileId: z.string().min(1),
  contentId: z.string().min(1),
  episodeId: z.string().min(1).nullish(),
};

const startedPayload = z.object({ ...sessionFields, startedAt: z.string().nullish() });

const progressPayload = z.object({
  ...sessionFields,
  totalWatchedSeconds: z.number().int().nonnegative(),
  completed: z.boolean(),
  endedAt: z.string().nullish(),
});

type StartedPayload = z.infer<typeof startedPayload>;
type ProgressPayload = z.infer<typeof progressPayload>;

function parsePayload<T>(schema: z.ZodType<T>, event: ConsumedEvent): T {
  const result = schema.safeParse(event.payload);
  if (!result.success) {
    throw new Error(`${event.eventType} ${event.id}: unexpected payload (${result.error.issues[0]?.message ?? "invalid"})`);
  }
  return result.data;
}

function dateOr(value: string | null | undefined, fallback: Date): Date {
  const date = value ? new Date(value) : null;
  return date && !Number.isNaN(date.getTime()) ? date : fallback;
}

/** The UTC calendar day, as PostgreSQL's `date` reads it. */
function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

async function exists(tx: Prisma.TransactionClient, table: "contents" | "profiles", id: string): Promise<boolean> {
  const rows =
    table === "contents"
      ? await tx.$queryRaw<unknown[]>`SELECT 1 FROM contents WHERE id = ${id}`
      : await tx.$queryRaw<unknown[]>`SELECT 1 FROM profiles WHERE id = ${id}`;
  return rows.length > 0;
}

/** Counts the view of a session once; false when this session was counted before. */
async function countView(tx: Prisma.TransactionClient, session: StartedPayload, startedAt: Date): Promise<boolean> {
  // A title deleted since has nothing left to count against.
  if (!(await exists(tx, "contents", session.contentId))) return false;
  const profileExists = await exists(tx, "profiles", session.profileId);
  if (profileExists) {
    const inserted = await tx.$executeRaw`
      INSERT INTO viewing_facts (session_id, user_id, profile_id, content_id, episode_id, day, started_at)
      VALUES (${session.sessionId}, ${session.userId}, ${session.profileId}, ${session.contentId}, ${session.episodeId ?? null},
              ${utcDay(startedAt)}::date, ${startedAt})
      ON CONFLICT (session_id) DO NOTHING`;
    if (inserted === 0) return false;
  }
  const newViewer = profileExists
    ? await tx.$executeRaw`
        INSERT INTO content_viewers (id, content_id, profile_id, first_viewed_at)
        VALUES (gen_random_uuid()::text, ${session.contentId}, ${session.profileId}, ${startedAt})
        ON CONFLICT (content_id, profile_id) DO NOTHING`
    : 0;
  await tx.$executeRaw`
    INSERT INTO content_analytics (id, content_id, views, unique_viewers, updated_at)
    VALUES (gen_random_uuid()::text, ${session.contentId}, 1, ${newViewer}, now())
    ON CONFLICT (content_id) DO UPDATE SET
      views = content_analytics.views + 1,
      unique_viewers = content_analytics.unique_viewers + EXCLUDED.unique_viewers,
      updated_at = now(), version = content_analytics.version + 1, synced_at = now()`;
  await tx.$executeRaw`
    INSERT INTO content_daily_views (id, content_id, day, views)
    VALUES (gen_random_uuid()::text, ${session.contentId}, ${utcDay(startedAt)}::date, 1)
    ON CONFLICT (content_id, day) DO UPDATE SET
      views = content_daily_views.views + 1, version = content_daily_views.version + 1, synced_at = now()`;
  return true;
}

const onStarted: EventHandler = async (tx, event) => {
  const session = parsePayload(startedPayload, event);
  await countView(tx, session, dateOr(session.startedAt, event.createdAt));
};

/** Adds what a progress (or stop) report says beyond what the session's fact already holds. */
async function applyProgress(tx: Prisma.TransactionClient, event: ConsumedEvent, report: ProgressPayload): Promise<void> {
  const findFact = () =>
    tx.$queryRaw<{ watched_seconds: number; completed: boolean }[]>`
      SELECT watched_seconds, completed FROM viewing_facts WHERE session_id = ${report.sessionId} FOR UPDATE`;
  let [fact] = await findFact();
  if (!fact) {
    // No start seen (the session predates analytics): count its view now. A profile deleted since leaves
    // nothing to attach the session to, and a deleted title nothing to count it against.
    if (!(await exists(tx, "profiles", report.profileId))) return;
    await countView(tx, report, event.createdAt);
    [fact] = await findFact();
    if (!fact) return;
  }
  const watchedDelta = Math.max(0, report.totalWatchedSeconds - fact.watched_seconds);
  const newlyCompleted = report.completed && !fact.completed;
  await tx.$executeRaw`
    UPDATE viewing_facts SET
      watched_seconds = GREATEST(watched_seconds, ${report.totalWatchedSeconds}),
      completed = completed OR ${report.completed},
      ended_at = COALESCE(ended_at, ${report.endedAt ? dateOr(report.endedAt, event.createdAt) : null}),
      version = version + 1, synced_at = now()
    WHERE session_id = ${report.sessionId}`;
  if (watchedDelta === 0 && !newlyCompleted) return;
  await tx.$executeRaw`
    INSERT INTO content_analytics (id, content_id, total_watch_seconds, completions, updated_at)
    VALUES (gen_random_uuid()::text, ${report.contentId}, ${watchedDelta}, ${newlyCompleted ? 1 : 0}, now())
    ON CONFLICT (content_id) DO UPDATE SET
      total_watch_seconds = content_analytics.total_watch_seconds + EXCLUDED.total_watch_seconds,
      completions = content_analytics.completions + EXCLUDED.completions,
      updated_at = now(), version = content_analytics.version + 1, synced_at = now()`;
}

const onProgress: EventHandler = async (tx, event) => {
  await applyProgress(tx, event, parsePayload(progressPayload, event));
};

/** One handler per type analytics `consumes` in microservices.config.json. */
export const playbackHandlers: Record<string, EventHandler> = {
  PlaybackStarted: onStarted,
  PlaybackProgressed: onProgress,
  PlaybackStopped: onProgress,
};
