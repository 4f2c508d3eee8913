// A profile's watchlist: add and remove are idempotent; reading applies the profile's maturity limit.
import type { MaturityRating, PrismaClient } from "@watchflixx/db";
import { AppError, ErrorCode, isAllowed, ratingsUpTo, requireIdentity, type SubgraphContext } from "@watchflixx/common";
import { contentRef } from "../entities/references.ts";
import type { WatchlistItem } from "../entities/library.ts";
import { findTitle } from "./catalog.ts";
import { unlockedProfile, viewerProfile, type ViewerCache } from "./viewer.ts";

export interface WatchlistRow {
  profileId: string;
  contentId: string;
  addedAt: Date;
  maturityRating: MaturityRating;
}

function toItem(row: { addedAt: Date; contentId: string }): WatchlistItem {
  return { addedAt: row.addedAt, content: contentRef(row.contentId) };
}

/** Adds a title (within the profile's maturity limit: FORBIDDEN otherwise); adding it again keeps the first `addedAt`. */
export async function addToWatchlist(context: SubgraphContext<ViewerCache>, profileId: string, contentId: string): Promise<WatchlistItem> {
  const identity = requireIdentity(context);
  const profile = await unlockedProfile(context, profileId);
  const title = await findTitle(context.db, identity, contentId);
  if (!isAllowed(title.maturityRating, profile.maturityLimit)) {
    throw new AppError(ErrorCode.FORBIDDEN, "This title is above this profile's maturity limit.", { reason: "MATURITY_LIMIT" });
  }
  const row = await context.db.watchlist.upsert({
    where: { profileId_contentId: { profileId: profile.id, contentId: title.id } },
    create: { profileId: profile.id, contentId: title.id },
    update: {},
    select: { addedAt: true, contentId: true },
  });
  return toItem(row);
}

/** True when the title was on the list (and now is not); false when it was not there. */
export async function removeFromWatchlist(context: SubgraphContext<ViewerCache>, profileId: string, contentId: string): Promise<boolean> {
  const profile = await unlockedProfile(context, profileId);
  const { count } = await context.db.watchlist.deleteMany({ where: { profileId: profile.id, contentId } });
  return count > 0;
}

/** Batch function: the watchlists of several profiles, newest first, with each title's rating for filtering. */
export async function watchlistsOf(db: Pick<PrismaClient, "watchlist">, profileIds: readonly string[]): Promise<WatchlistRow[]> {
  const rows = await db.watchlist.findMany({
    where: { profileId: { in: [...profileIds] }, content: { publishedAt: { not: null } } },
    orderBy: [{ addedAt: "desc" }, { id: "desc" }],
    select: { profileId: true, contentId: true, addedAt: true, content: { select: { maturityRating: true } } },
  });
  return rows.map((row) => ({ profileId: row.profileId, contentId: row.contentId, addedAt: row.addedAt, maturityRating: row.content.maturityRating }));
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
