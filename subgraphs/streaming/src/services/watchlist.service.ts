// A profile's watchlist: add and remove are idempotent; reading applies the profile's maturity limit.
import type { MaturityRating, PrismaClient } from "@watchflixx/db";
import { ratingsUpTo, requireIdentity, requireWithinMaturityLimit, type SubgraphContext } from "@watchflixx/common";
import { providedContentRef } from "../entities/references.ts";
import type { WatchlistItem } from "../entities/library.ts";
import { findTitle } from "./catalog.ts";
import { unlockedProfile, viewerProfile, type ViewerCache } from "./viewer.ts";

export interface WatchlistRow {
  profileId: string;
  contentId: string;
  addedAt: Date;
  maturityRating: MaturityRating;
  title: string;
  posterUrl: string | null;
}

/** WatchlistItem.content provides the title's name and poster: every item carries them. */
function toItem(row: { addedAt: Date; contentId: string; title: string; posterUrl: string | null }): WatchlistItem {
  return { addedAt: row.addedAt, content: providedContentRef({ id: row.contentId, title: row.title, posterUrl: row.posterUrl }) };
}

/** Adds a title (within the profile's maturity limit: FORBIDDEN otherwise); adding it again keeps the first `addedAt`. */
export async function addToWatchlist(context: SubgraphContext<ViewerCache>, profileId: string, contentId: string): Promise<WatchlistItem> {
  const identity = requireIdentity(context);
  const profile = await unlockedProfile(context, profileId);
  const title = await findTitle(context.db, identity, contentId);
  requireWithinMaturityLimit(title.maturityRating, profile.maturityLimit);
  const row = await context.db.watchlist.upsert({
    where: { profileId_contentId: { profileId: profile.id, contentId: title.id } },
    create: { profileId: profile.id, contentId: title.id },
    update: {},
    select: { addedAt: true, contentId: true },
  });
  return toItem({ ...row, title: title.title, posterUrl: title.posterUrl });
}

/** True when the title was on the list (and now is not); false when it was not there. */
export async function removeFromWatchlist(context: SubgraphContext<ViewerCache>, profileId: string, contentId: string): Promise<boolean> {
  const profile = await unlockedProfile(context, profileId);
  const { count } = await context.db.watchlist.deleteMany({ where: { profileId: profile.id, contentId } });
  return count > 0;
}

/**
 * Batch function: the watchlists of several profiles, newest first, with each title's rating (for filtering),
 * name and poster: one statement (a relation select would be a second one).
 */
export function watchlistsOf(db: Pick<PrismaClient, "$queryRaw">, profileIds: readonly string[]): Promise<WatchlistRow[]> {
  return db.$queryRaw<WatchlistRow[]>`
    SELECT w.profile_id AS "profileId", w.content_id AS "contentId", w.added_at AS "addedAt",
           c.maturity_rating::text AS "maturityRating", c.title, c.poster_url AS "posterUrl"
      FROM watchlist w
      JOIN contents c ON c.id = w.content_id
     WHERE w.profile_id = ANY(${[...profileIds]}::text[]) AND c.published_at IS NOT NULL
     ORDER BY w.added_at DESC, w.id DESC`;
}

/**
 * `Profile.watchlist`: the caller's own profile only (another account's profile is NOT_FOUND, like
 * `profile(id)`), titles above its maturity limit left out (the limit may have been lowered since).
 */
export async function watchlistOf(
  context: SubgraphContext<ViewerCache & { watchlist: { load(profileId: string): Promise<WatchlistRow[]> } }>,
  profileId: string,
): Promise<WatchlistItem[]> {
  const profile = await viewerProfile(context, profileId);
  const allowed = new Set(ratingsUpTo(profile.maturityLimit));
  const rows = await context.loaders.watchlist.load(profile.id);
  return rows.filter((row) => allowed.has(row.maturityRating)).map(toItem);
}
