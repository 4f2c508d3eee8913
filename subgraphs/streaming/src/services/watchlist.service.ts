// A profile's watchlist: add and remove are idempotent; reading applies the profile's maturity limit.
import type { MaturityRating, PrismaClient } from "@watchflixx/db";
import { ratingsUpTo, requireIdentity, requireWithinMaturityLimit } from "@watchflixx/common";
import { findTitle } from "./catalog.ts";
import { providedContentKey, type ContentKey } from "./refs.ts";
import type { StreamingReader, ViewerProfiles } from "./viewer.ts";

export interface WatchlistRow {
  profileId: string;
  contentId: string;
  addedAt: Date;
  maturityRating: MaturityRating;
  title: string;
  posterUrl: string | null;
}

export interface WatchlistEntry {
  addedAt: Date;
  /** With the title's name and poster (WatchlistItem.content provides them). */
  content: ContentKey;
}

function toEntry(row: { addedAt: Date; contentId: string; title: string; posterUrl: string | null }): WatchlistEntry {
  return { addedAt: row.addedAt, content: providedContentKey({ id: row.contentId, title: row.title, posterUrl: row.posterUrl }) };
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

export class WatchlistService {
  constructor(
    private readonly db: PrismaClient,
    private readonly viewers: ViewerProfiles,
  ) {}

  /** Adds a title (within the profile's maturity limit: FORBIDDEN otherwise); adding it again keeps the first `addedAt`. */
  async add(reader: StreamingReader, profileId: string, contentId: string): Promise<WatchlistEntry> {
    const identity = requireIdentity({ identity: reader.viewer });
    const profile = await this.viewers.unlocked(reader, profileId);
    const title = await findTitle(this.db, identity, contentId);
    requireWithinMaturityLimit(title.maturityRating, profile.maturityLimit);
    const row = await this.db.watchlist.upsert({
      where: { profileId_contentId: { profileId: profile.id, contentId: title.id } },
      create: { profileId: profile.id, contentId: title.id },
      update: {},
      select: { addedAt: true, contentId: true },
    });
    return toEntry({ ...row, title: title.title, posterUrl: title.posterUrl });
  }

  /** True when the title was on the list (and now is not); false when it was not there. */
  async remove(reader: StreamingReader, profileId: string, contentId: string): Promise<boolean> {
    const profile = await this.viewers.unlocked(reader, profileId);
    const { count } = await this.db.watchlist.deleteMany({ where: { profileId: profile.id, contentId } });
    return count > 0;
  }

  /**
   * `Profile.watchlist`: the caller's own profile only (another account's profile is NOT_FOUND, like
   * `profile(id)`), titles above its maturity limit left out (the limit may have been lowered since).
   * Batched: the watchlists of every profile of the request are one statement.
   */
  async of(reader: StreamingReader, profileId: string): Promise<WatchlistEntry[]> {
    const profile = await this.viewers.of(reader, profileId);
    const allowed = new Set(ratingsUpTo(profile.maturityLimit));
    const rows = await reader.loaders.watchlist.load(profile.id);
    return rows.filter((row) => allowed.has(row.maturityRating)).map(toEntry);
  }
}
