// The analytics consumer: playback events (written by streaming) become viewing facts and running totals,
// one small increment per event, inside the consumer's transaction (see startConsumer in @watchflixx/common:
// the event is marked processed by "analytics" in the same transaction, so each one is applied once).
//
//   PlaybackStarted     a viewing_facts row per session (its watch time starts at 0); no view yet.
//   PlaybackProgressed  watch time: the session's cumulative `totalWatchedSeconds` minus what the fact already
//   PlaybackStopped     holds is added to the title's total; the first report of a completed session adds a
//                       completion. The report that takes the session past the view threshold counts a view.
//
// What counts as a view (so that start/stop cycles cannot pump `trending`): a session counts once it has
// watched VIEW_MIN_WATCHED_SECONDS, or VIEW_MIN_WATCHED_FRACTION of the title when that is less (shorts), and
// a profile counts at most one view of a title per UTC day, however many sessions it starts
// (content_viewers.last_viewed_day, updated under the row's lock, so concurrent consumers count it once).
import { eventPayload, type RecordedEvent, type EventHandler, type EventPayload } from "@watchflixx/common";
import type { Prisma } from "@watchflixx/db";

/** What analytics needs of a session: every playback event carries it. */
type SessionPayload = Pick<EventPayload<"PlaybackStarted">, "sessionId" | "userId" | "profileId" | "contentId" | "episodeId">;
/** A progress or a stop report. */
type ProgressPayload = EventPayload<"PlaybackProgressed"> | EventPayload<"PlaybackStopped">;

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

/** A session's watch time that makes it a view: a minute, or a tenth of a shorter title. */
export const VIEW_MIN_WATCHED_SECONDS = 60;
export const VIEW_MIN_WATCHED_FRACTION = 0.1;

export function viewThresholdSeconds(durationSeconds: number | null | undefined): number {
  if (!durationSeconds || durationSeconds <= 0) return VIEW_MIN_WATCHED_SECONDS;
  return Math.max(1, Math.min(VIEW_MIN_WATCHED_SECONDS, Math.ceil(durationSeconds * VIEW_MIN_WATCHED_FRACTION)));
}

/** Records a session's fact (once); false when its title or profile no longer exists, so it has nothing to count against. */
async function recordFact(tx: Prisma.TransactionClient, session: SessionPayload, startedAt: Date): Promise<boolean> {
  if (!(await exists(tx, "contents", session.contentId))) return false;
  if (!(await exists(tx, "profiles", session.profileId))) return false;
  await tx.$executeRaw`
    INSERT INTO viewing_facts (session_id, user_id, profile_id, content_id, episode_id, day, started_at)
    VALUES (${session.sessionId}, ${session.userId}, ${session.profileId}, ${session.contentId}, ${session.episodeId ?? null},
            ${utcDay(startedAt)}::date, ${startedAt})
    ON CONFLICT (session_id) DO NOTHING`;
  return true;
}

/**
 * Counts a view of the title by the profile on `day`, unless one was counted that day (or a later one: a
 * late session of an earlier day is not counted again). The first view of a pair also counts a unique viewer.
 */
async function countView(tx: Prisma.TransactionClient, view: { profileId: string; contentId: string; day: string; at: Date }): Promise<void> {
  const counted = await tx.$queryRaw<{ new_viewer: boolean }[]>`
    INSERT INTO content_viewers (id, content_id, profile_id, first_viewed_at, last_viewed_day)
    VALUES (gen_random_uuid()::text, ${view.contentId}, ${view.profileId}, ${view.at}, ${view.day}::date)
    ON CONFLICT (content_id, profile_id) DO UPDATE SET
      last_viewed_day = EXCLUDED.last_viewed_day, version = content_viewers.version + 1, synced_at = now()
      WHERE content_viewers.last_viewed_day IS NULL OR content_viewers.last_viewed_day < EXCLUDED.last_viewed_day
    RETURNING (xmax = 0) AS new_viewer`;
  const row = counted[0];
  if (!row) return;
  const newViewer = row.new_viewer ? 1 : 0;
  await tx.$executeRaw`
    INSERT INTO content_analytics (id, content_id, views, unique_viewers, updated_at)
    VALUES (gen_random_uuid()::text, ${view.contentId}, 1, ${newViewer}, now())
    ON CONFLICT (content_id) DO UPDATE SET
      views = content_analytics.views + 1,
      unique_viewers = content_analytics.unique_viewers + EXCLUDED.unique_viewers,
      updated_at = now(), version = content_analytics.version + 1, synced_at = now()`;
  await tx.$executeRaw`
    INSERT INTO content_daily_views (id, content_id, day, views)
    VALUES (gen_random_uuid()::text, ${view.contentId}, ${view.day}::date, 1)
    ON CONFLICT (content_id, day) DO UPDATE SET
      views = content_daily_views.views + 1, version = content_daily_views.version + 1, synced_at = now()`;
}

const onStarted: EventHandler = async (tx, event) => {
  const session = eventPayload(event, "PlaybackStarted");
  await recordFact(tx, session, dateOr(session.startedAt, event.createdAt));
};

/** Adds what a progress (or stop) report says beyond what the session's fact already holds. */
async function applyProgress(tx: Prisma.TransactionClient, event: RecordedEvent, report: ProgressPayload): Promise<void> {
  const findFact = () =>
    tx.$queryRaw<{ watched_seconds: number; completed: boolean; day: string; started_at: Date }[]>`
      SELECT watched_seconds, completed, to_char(day, 'YYYY-MM-DD') AS day, started_at
        FROM viewing_facts WHERE session_id = ${report.sessionId} FOR UPDATE`;
  let [fact] = await findFact();
  if (!fact) {
    // No start seen (the session predates analytics): its fact starts now. A profile or title deleted since
    // leaves nothing to attach the session to.
    if (!(await recordFact(tx, report, event.createdAt))) return;
    [fact] = await findFact();
    if (!fact) return;
  }
  const threshold = viewThresholdSeconds(report.durationSeconds);
  if (fact.watched_seconds < threshold && report.totalWatchedSeconds >= threshold) {
    await countView(tx, { profileId: report.profileId, contentId: report.contentId, day: fact.day, at: fact.started_at });
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
  await applyProgress(tx, event, event.eventType === "PlaybackStopped" ? eventPayload(event, "PlaybackStopped") : eventPayload(event, "PlaybackProgressed"));
};

/** One handler per type analytics `consumes` in microservices.config.json. */
export const playbackHandlers: Record<string, EventHandler> = {
  PlaybackStarted: onStarted,
  PlaybackProgressed: onProgress,
  PlaybackStopped: onProgress,
};
