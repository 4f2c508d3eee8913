// Ratings (1-5, one per profile and title, rating again replaces it), the reviews written with them, and the
// per-title aggregates the catalog shows.
import type { PrismaClient } from "@watchflixx/db";
import { BadUserInputError, pageSize, recordEvent, requireIdentity, requireWithinMaturityLimit } from "@watchflixx/common";
import { findTitle } from "./catalog.ts";
import { contentKey, profileKey, type ContentKey, type ProfileKey } from "./refs.ts";
import type { StreamingReader, ViewerProfiles } from "./viewer.ts";

export const MAX_REVIEW_LENGTH = 2000;

/** rateContent's argument as the caller gives it. */
export interface RatingRequest {
  profileId: string;
  contentId: string;
  /** 1 to 5 stars. */
  rating: number;
  /** An optional review (up to 2000 characters); absent or blank: none. */
  body?: string | null;
}

export interface SavedRating {
  id: string;
  rating: number;
  body: string | null;
  content: ContentKey;
  profile: ProfileKey;
  createdAt: Date;
  updatedAt: Date;
}

export interface PublishedReview {
  id: string;
  rating: number;
  body: string;
  createdAt: Date;
  updatedAt: Date;
  profile: ProfileKey;
}

/** The rating, and the review trimmed (null when absent or blank); BAD_USER_INPUT naming the field otherwise. */
function checkRating(request: RatingRequest): { rating: number; body: string | null } {
  if (!Number.isInteger(request.rating) || request.rating < 1 || request.rating > 5) {
    throw new BadUserInputError("rating must be a whole number from 1 to 5.", "rating");
  }
  const body = request.body?.trim() ?? "";
  if (body.length > MAX_REVIEW_LENGTH) {
    throw new BadUserInputError(`A review may be at most ${MAX_REVIEW_LENGTH} characters.`, "body");
  }
  return { rating: request.rating, body: body === "" ? null : body };
}

export class RatingService {
  constructor(
    private readonly db: PrismaClient,
    private readonly viewers: ViewerProfiles,
  ) {}

  /**
   * Rates a title for one of the caller's profiles (NOT_FOUND otherwise; FORBIDDEN above its maturity limit).
   * The rating and its review are replaced as a whole: rating again without a body removes the earlier review.
   * Writes ContentRated in the same transaction.
   */
  async rate(reader: StreamingReader, request: RatingRequest): Promise<SavedRating> {
    const input = checkRating(request);
    const identity = requireIdentity({ identity: reader.viewer });
    const profile = await this.viewers.unlocked(reader, request.profileId);
    const title = await findTitle(this.db, identity, request.contentId);
    requireWithinMaturityLimit(title.maturityRating, profile.maturityLimit);
    const key = { profileId_contentId: { profileId: profile.id, contentId: title.id } };

    return this.db.$transaction(async (tx) => {
      const previous = await tx.rating.findUnique({ where: key, select: { rating: true } });
      const rating = await tx.rating.upsert({
        where: key,
        create: { profileId: profile.id, contentId: title.id, rating: input.rating },
        update: { rating: input.rating, version: { increment: 1 } },
        select: { id: true, rating: true, createdAt: true, updatedAt: true },
      });
      let body: string | null = null;
      if (input.body === null) {
        await tx.review.deleteMany({ where: { profileId: profile.id, contentId: title.id } });
      } else {
        const review = await tx.review.upsert({
          where: key,
          create: { ratingId: rating.id, profileId: profile.id, contentId: title.id, body: input.body },
          update: { ratingId: rating.id, body: input.body, version: { increment: 1 } },
          select: { body: true },
        });
        body = review.body;
      }
      await recordEvent(tx, {
        eventType: "ContentRated",
        service: "streaming",
        aggregateType: "content",
        aggregateId: title.id,
        payload: {
          ratingId: rating.id,
          userId: identity.userId,
          profileId: profile.id,
          contentId: title.id,
          rating: rating.rating,
          previousRating: previous?.rating ?? null,
          hasReview: body !== null,
        },
      });
      return {
        id: rating.id,
        rating: rating.rating,
        body,
        content: contentKey(title.id),
        profile: profileKey(profile.id),
        createdAt: rating.createdAt,
        updatedAt: rating.updatedAt,
      };
    });
  }

  /** A title's rating stats (null without ratings), batched with every title of the request. */
  async stats(reader: StreamingReader, contentId: string): Promise<RatingStats | null> {
    return (await reader.loaders.ratings.load({ contentId, first: null })).stats;
  }

  /** A title's newest reviews (`first`: default 20, at most 100), batched with every title of the request. */
  async reviews(reader: StreamingReader, contentId: string, first: number | null | undefined): Promise<PublishedReview[]> {
    const { reviews } = await reader.loaders.ratings.load({ contentId, first: pageSize(first) });
    return reviews.map((row) => ({ id: row.id, rating: row.rating, body: row.body, createdAt: row.createdAt, updatedAt: row.updatedAt, profile: profileKey(row.profileId) }));
  }
}

export interface RatingStats {
  contentId: string;
  averageRating: number | null;
  ratingCount: number;
}

export interface ReviewRow {
  id: string;
  contentId: string;
  profileId: string;
  body: string;
  rating: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface RatingReads {
  stats: RatingStats[];
  reviews: ReviewRow[];
}

/**
 * Batch function, ONE statement: the average (two decimals; null without ratings) and count of the ratings of
 * `statsOf`, and the newest `first` reviews of each of `reviewsOf` (a window per title). A details screen asks
 * for both of the same title: one round trip, not two.
 */
export async function ratingReadsOf(
  db: Pick<PrismaClient, "$queryRaw">,
  statsOf: readonly string[],
  reviewsOf: readonly string[],
  first: number,
): Promise<RatingReads> {
  const withReviews = first > 0 && reviewsOf.length > 0;
  if (statsOf.length === 0 && !withReviews) return { stats: [], reviews: [] };
  const rows = await db.$queryRaw<(ReviewRow & { kind: "S" | "R"; average: number | null; count: number | null })[]>`
    SELECT 'S' AS kind, r.content_id AS "contentId", avg(r.rating)::float8 AS average, count(*)::int AS count,
           NULL::text AS id, NULL::text AS "profileId", NULL::text AS body, NULL::int AS rating,
           NULL::timestamp AS "createdAt", NULL::timestamp AS "updatedAt", NULL::bigint AS position
      FROM ratings r
     WHERE r.content_id = ANY(${[...statsOf]}::text[])
     GROUP BY r.content_id
    UNION ALL
    SELECT 'R', "contentId", NULL, NULL, id, "profileId", body, rating, "createdAt", "updatedAt", position
      FROM (
        SELECT rv.id, rv.content_id AS "contentId", rv.profile_id AS "profileId", rv.body, r.rating,
               rv.created_at AS "createdAt", rv.updated_at AS "updatedAt",
               ROW_NUMBER() OVER (PARTITION BY rv.content_id ORDER BY rv.created_at DESC, rv.id DESC) AS position
          FROM reviews rv
          JOIN ratings r ON r.id = rv.rating_id
         WHERE rv.content_id = ANY(${withReviews ? [...reviewsOf] : []}::text[])
      ) ranked
     WHERE position <= ${first}
     ORDER BY kind, "contentId", position`;
  const reads: RatingReads = { stats: [], reviews: [] };
  for (const row of rows) {
    if (row.kind === "S") {
      reads.stats.push({
        contentId: row.contentId,
        averageRating: row.average === null ? null : Math.round(row.average * 100) / 100,
        ratingCount: row.count ?? 0,
      });
    } else {
      const { id, contentId, profileId, body, rating, createdAt, updatedAt } = row;
      reads.reviews.push({ id, contentId, profileId, body, rating, createdAt, updatedAt });
    }
  }
  return reads;
}
