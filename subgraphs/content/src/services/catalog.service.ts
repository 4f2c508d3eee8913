// Reading the catalog: one title, browse pages, full-text search, and entity references. Visibility rules
// live here: unpublished titles exist for staff only, and a `profileId` applies that profile's maturity
// limit (through @watchflixx/common's maturityLimitFor, the supergraph's one implementation of it).
import {
  BadUserInputError,
  decodeCursor,
  encodeCursor,
  maturityLimitFor,
  NotFoundError,
  pageSize,
  ratingsUpTo,
  type ContentType,
  type Identity,
  type ProfileAccessCache,
} from "@watchflixx/common";
import { Prisma, type Content, type Episode, type PrismaClient, type Season } from "@watchflixx/db";
import type { Loaders } from "../loaders.ts";
import { fetchContentDetails, type DetailParts } from "./batch-queries.ts";

/** Who asks (null: anonymous), and this request's loaders, which the reads batch through and prime. */
export interface CatalogReader {
  viewer: Identity | null;
  loaders: Loaders;
}

/** `browse`'s filter as the caller gives it (every field optional). */
export interface BrowseFilter {
  type?: ContentType | null;
  genre?: string | null;
  releaseYearFrom?: number | null;
  releaseYearTo?: number | null;
  /** Apply this profile's maturity limit (one of the caller's profiles). */
  profileId?: string | null;
}

interface BrowseCriteria {
  type: ContentType | null;
  genre: string | null;
  releaseYearFrom: number | null;
  releaseYearTo: number | null;
  profileId: string | null;
}

function browseCriteria(filter: BrowseFilter | null | undefined): BrowseCriteria {
  const criteria: BrowseCriteria = {
    type: filter?.type ?? null,
    genre: filter?.genre?.trim() || null,
    releaseYearFrom: filter?.releaseYearFrom ?? null,
    releaseYearTo: filter?.releaseYearTo ?? null,
    profileId: filter?.profileId ?? null,
  };
  if (criteria.releaseYearFrom !== null && criteria.releaseYearTo !== null && criteria.releaseYearFrom > criteria.releaseYearTo) {
    throw new BadUserInputError("releaseYearFrom must not be after releaseYearTo.", "releaseYearFrom");
  }
  return criteria;
}

/** Published titles are public; unpublished ones are answered to staff only (as if they did not exist). */
export function isVisible(content: Pick<Content, "publishedAt">, identity: Identity | null): boolean {
  return content.publishedAt !== null || identity?.role === "STAFF";
}

// ── browse: keyset pagination over (createdAt DESC, id DESC), the contents_created_at_id_idx order ──

interface BrowsePosition {
  /** createdAt of the last title on the previous page, ISO 8601 (millisecond precision, as stored). */
  c: string;
  /** its id, the tie-breaker between titles created in the same millisecond. */
  i: string;
}

function isBrowsePosition(value: unknown): value is BrowsePosition {
  if (typeof value !== "object" || value === null) return false;
  const { c, i } = value as Record<string, unknown>;
  return typeof c === "string" && typeof i === "string" && i.length > 0 && !Number.isNaN(Date.parse(c));
}

export function browseCursor(content: Pick<Content, "createdAt" | "id">): string {
  return encodeCursor({ c: content.createdAt.toISOString(), i: content.id } satisfies BrowsePosition);
}

export interface BrowsePage {
  rows: Content[];
  hasNextPage: boolean;
  /** The number of titles matching the filter over all pages; runs a COUNT only when called. */
  countTotal: () => Promise<number>;
}

// ── search: PostgreSQL full-text search over contents.search_vector (GIN index, kept by a trigger) ──

const MAX_QUERY_LENGTH = 200;

/**
 * A tsquery text for type-ahead: every word of a plain query ANDed, the last one as a prefix ("stranger thi"
 * → "stranger & thi:*"). Words are cut down to letters and digits, so nothing the user typed can become
 * tsquery syntax; the text still travels as a bind parameter. Null for queries using web-search syntax
 * (quotes, -exclusions, OR) or ending in a space (the last word is complete).
 */
export function prefixTsQuery(query: string): string | null {
  if (/\s$/u.test(query) || query.includes('"')) return null;
  const words = query.trim().split(/\s+/u);
  if (words.some((word) => word.startsWith("-") || word.toLowerCase() === "or")) return null;
  const lexemes = words.flatMap((word) => word.split(/[^\p{L}\p{N}]+/u)).filter((lexeme) => lexeme.length > 0);
  if (lexemes.length === 0) return null;
  return lexemes.map((lexeme, index) => (index === lexemes.length - 1 ? `${lexeme}:*` : lexeme)).join(" & ");
}

/** Catalog reads, built once per process with the database client; each call names its reader. */
export class CatalogService {
  constructor(
    private readonly db: PrismaClient,
    private readonly profileAccess: ProfileAccessCache,
  ) {}

  private async visibleContent(reader: CatalogReader, id: string): Promise<Content | null> {
    const content = await reader.loaders.content.load(id);
    return content && isVisible(content, reader.viewer) ? content : null;
  }

  /**
   * `content(id)`: the title, or NOT_FOUND when unknown or not visible to the caller. With `parts`, the lists the
   * query selects are read in the same statement and primed into this request's loaders (the field resolvers then
   * find them there): a details screen is one round trip instead of one per list.
   */
  async getContent(reader: CatalogReader, id: string, parts?: DetailParts): Promise<Content> {
    if (parts && (parts.seasons || parts.cast || parts.crew || parts.subtitles)) await this.primeDetails(reader, id, parts);
    const content = await this.visibleContent(reader, id);
    if (!content) throw new NotFoundError("Content");
    return content;
  }

  private async primeDetails(reader: CatalogReader, id: string, parts: DetailParts): Promise<void> {
    const details = await fetchContentDetails(this.db, id, parts);
    if (!details) return;
    const { loaders } = reader;
    loaders.content.clear(id).prime(id, details.content);
    // Only what the caller may see goes into the loaders (visibleContent then answers NOT_FOUND as before).
    if (!isVisible(details.content, reader.viewer)) return;
    if (details.seasons) {
      loaders.seasonsOfContent.clear(id).prime(id, details.seasons);
      if (details.episodes) {
        const bySeason = new Map<string, Episode[]>(details.seasons.map((season) => [season.id, []]));
        for (const episode of details.episodes) bySeason.get(episode.seasonId)?.push(episode);
        for (const [seasonId, episodes] of bySeason) loaders.episodesOfSeason.clear(seasonId).prime(seasonId, episodes);
      }
    }
    if (details.cast) loaders.castOfContent.clear(id).prime(id, details.cast);
    if (details.crew) loaders.crewOfContent.clear(id).prime(id, details.crew);
    if (details.subtitles) loaders.subtitlesOfContent.clear(id).prime(id, details.subtitles);
  }

  // Entity references (batched: the loaders turn N references into one query).

  contentReference(reader: CatalogReader, id: string): Promise<Content | null> {
    return this.visibleContent(reader, id);
  }

  /** Staff reach any season; everyone else only those of published titles (checked in the same query). */
  seasonReference(reader: CatalogReader, id: string): Promise<Season | null> {
    return reader.viewer?.role === "STAFF" ? reader.loaders.season.load(id) : reader.loaders.publishedSeason.load(id);
  }

  episodeReference(reader: CatalogReader, id: string): Promise<Episode | null> {
    return reader.viewer?.role === "STAFF" ? reader.loaders.episode.load(id) : reader.loaders.publishedEpisode.load(id);
  }

  /** The parent of a season or episode the caller already reached; it exists (foreign key, cascade delete). */
  async parentContent(reader: CatalogReader, contentId: string): Promise<Content> {
    const content = await reader.loaders.content.load(contentId);
    if (!content) throw new NotFoundError("Content");
    return content;
  }

  async parentSeason(reader: CatalogReader, seasonId: string): Promise<Season> {
    const season = await reader.loaders.season.load(seasonId);
    if (!season) throw new NotFoundError("Season");
    return season;
  }

  private async catalogWhere(reader: CatalogReader, criteria: BrowseCriteria): Promise<Prisma.ContentWhereInput> {
    const limit = await maturityLimitFor(this.db, reader.viewer, criteria.profileId, this.profileAccess);
    const years: Prisma.IntFilter = {};
    if (criteria.releaseYearFrom !== null) years.gte = criteria.releaseYearFrom;
    if (criteria.releaseYearTo !== null) years.lte = criteria.releaseYearTo;
    return {
      publishedAt: { not: null },
      ...(criteria.type ? { type: criteria.type } : {}),
      ...(criteria.genre ? { genres: { has: criteria.genre } } : {}),
      ...(Object.keys(years).length > 0 ? { releaseYear: years } : {}),
      ...(limit ? { maturityRating: { in: ratingsUpTo(limit) } } : {}),
    };
  }

  /**
   * One page of published titles, newest first. The cursor holds the last row's (createdAt, id), and the next
   * page starts strictly after it in that order: titles inserted meanwhile sort before the cursor (they are
   * newer), so a walk over all pages sees every title that existed when it began exactly once.
   */
  async browse(
    reader: CatalogReader,
    filter: BrowseFilter | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<BrowsePage> {
    const criteria = browseCriteria(filter);
    const take = pageSize(first);
    const position = after ? decodeCursor(after, isBrowsePosition) : null;
    const where = await this.catalogWhere(reader, criteria);
    const afterPosition: Prisma.ContentWhereInput | null = position
      ? {
          OR: [
            { createdAt: { lt: new Date(position.c) } },
            { createdAt: new Date(position.c), id: { lt: position.i } },
          ],
        }
      : null;
    const rows = await this.db.content.findMany({
      where: afterPosition ? { AND: [where, afterPosition] } : where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: take + 1,
    });
    for (const row of rows) reader.loaders.content.prime(row.id, row);
    return {
      rows: rows.slice(0, take),
      hasNextPage: rows.length > take,
      countTotal: () => this.db.content.count({ where }),
    };
  }


  /**
   * Published titles matching `query` (web-search syntax: words, "phrases", -exclusions, or), titles whose
   * own words match first, then by ts_rank (title outweighs genres outweighs description), newest on ties.
   */
  async search(
    reader: CatalogReader,
    query: string,
    first: number | null | undefined,
    profileId: string | null | undefined,
  ): Promise<Content[]> {
    const text = query.trim();
    if (text.length === 0) throw new BadUserInputError("query must not be empty.", "query");
    if (text.length > MAX_QUERY_LENGTH) throw new BadUserInputError(`query must be at most ${MAX_QUERY_LENGTH} characters.`, "query");
    const take = pageSize(first);
    const limit = await maturityLimitFor(this.db, reader.viewer, profileId, this.profileAccess);
    if (take === 0) return [];

    const prefix = prefixTsQuery(query);
    const tsquery = prefix
      ? Prisma.sql`(websearch_to_tsquery('english', ${text}) || to_tsquery('english', ${prefix}))`
      : Prisma.sql`websearch_to_tsquery('english', ${text})`;
    const ratingFilter = limit
      ? Prisma.sql`AND c.maturity_rating = ANY(${ratingsUpTo(limit)}::maturity_rating[])`
      : Prisma.empty;
    const matches = await this.db.$queryRaw<{ id: string }[]>`
      SELECT c.id
      FROM contents c
      WHERE c.search_vector @@ ${tsquery}
        AND c.published_at IS NOT NULL
        ${ratingFilter}
      ORDER BY ts_filter(c.search_vector, '{a}') @@ ${tsquery} DESC,
               ts_rank(c.search_vector, ${tsquery}) DESC,
               c.created_at DESC,
               c.id DESC
      LIMIT ${take}`;
    const rows = await reader.loaders.content.loadMany(matches.map((match) => match.id));
    return rows.filter((row): row is Content => row !== null && !(row instanceof Error));
  }
}
