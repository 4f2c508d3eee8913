// Ratings (1-5, one per profile and title, rating again replaces it), the reviews written with them, and the
// per-title aggregates the catalog shows.
import type { PrismaClient } from "@watchflixx/db";
import { recordEvent, requireIdentity, requireWithinMaturityLimit, type SubgraphContext } from "@watchflixx/common";
import { contentRef, profileRef } from "../entities/references.ts";
import type { Rating, Review } from "../entities/library.ts";
import type { CheckedRating } from "../inputs/rating.input.ts";
import { findTitle } from "./catalog.ts";
import { unlockedProfile, type ViewerCache } from "./viewer.ts";

/**
 * Rates a title for one of the caller's profiles (NOT_FOUND otherwise; FORBIDDEN above its maturity limit).
 * The rating and its review are replaced as a whole: rating again without a body removes the earlier review.
 * Writes ContentRated in the same transaction.
 */
export async function rateContent(context: SubgraphContext<ViewerCache>, input: CheckedRating): Promise<Rating> {
  const identity = requireIdentity(context);
  const profile = await unlockedProfile(context, input.profileId);
  const title = await findTitle(context.db, identity, input.contentId);
  requireWithinMaturityLimit(title.maturityRating, profile.maturityLimit);
  const key = { profileId_contentId: { profileId: profile.id, contentId: title.id } };

  return context.db.$transaction(async (tx) => {
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
      content: contentRef(title.id),
      profile: profileRef(profile.id),
      createdAt: rating.createdAt,
      updatedAt: rating.updatedAt,
    };
  });
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

export function toReview(row: ReviewRow): Review {
  return { id: row.id, rating: row.rating, body: row.body, createdAt: row.createdAt, updatedAt: row.updatedAt, profile: profileRef(row.profileId) };
}
