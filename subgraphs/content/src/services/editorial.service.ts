// Staff editing of the catalog: titles, seasons, episodes. Every mutation checks the staff role first, edits
// under optimistic locking (`expectedVersion`), and records its ServiceEvent in the same transaction.
import {
  BadUserInputError,
  ConflictError,
  NotFoundError,
  recordEvent,
  requireStaff,
  translateDatabaseError,
  type Identity,
} from "@watchflixx/common";
import { ContentType, type Content, type Episode, type Prisma, type PrismaClient, type Season } from "@watchflixx/db";
import { validateCreateContent, validateUpdateContent, type CastValues, type ContentEdit, type CrewValues, type NewContent } from "./content-values.ts";
import { validateCreateEpisode, validateUpdateEpisode, type EpisodeEdit, type NewEpisode } from "./episode-values.ts";
import { validateCreateSeason, validateUpdateSeason, type NewSeason, type SeasonEdit } from "./season-values.ts";

const SERVICE = "content" as const;

function staleVersion(what: string, current: number): ConflictError {
  return new ConflictError(`${what} was changed by someone else (now at version ${current}); reload and try again.`);
}

async function replaceCredits(tx: Prisma.TransactionClient, contentId: string, cast?: CastValues[], crew?: CrewValues[]) {
  if (cast) {
    await tx.castMember.deleteMany({ where: { contentId } });
    await tx.castMember.createMany({ data: cast.map((member) => ({ ...member, contentId })) });
  }
  if (crew) {
    await tx.crewMember.deleteMany({ where: { contentId } });
    await tx.crewMember.createMany({ data: crew.map((member) => ({ ...member, contentId })) });
  }
}

/**
 * A season or episode edit of a published title is an edit of that title: ContentUpdated naming the part, so
 * that what caches the title (the gateway's entity cache) drops it, its season and its episode. Before
 * publication only staff see the title, and nothing is announced (as for EpisodeAdded).
 */
async function recordPartEdited(tx: Prisma.TransactionClient, part: { contentId: string; seasonId: string; episodeId?: string }): Promise<void> {
  const content = await tx.content.findUnique({ where: { id: part.contentId }, select: { publishedAt: true } });
  if (!content?.publishedAt) return;
  await recordEvent(tx, {
    eventType: "ContentUpdated",
    service: SERVICE,
    aggregateType: "content",
    aggregateId: part.contentId,
    payload: { ...part, changed: [part.episodeId ? "episodes" : "seasons"] },
  });
}

/** Staff edits of the catalog, built once per process with the database client; each call names its caller. */
export class EditorialService {
  constructor(private readonly db: PrismaClient) {}

  /** A new, unpublished title with its credits. Nobody but staff sees it until `publishContent`. */
  async createContent(viewer: Identity | null, input: NewContent): Promise<Content> {
    requireStaff({ identity: viewer });
    const { values, cast, crew } = validateCreateContent(input);
    return this.db.$transaction(async (tx) => {
      const content = await tx.content.create({ data: values });
      await replaceCredits(tx, content.id, cast, crew);
      return content;
    });
  }

  async updateContent(viewer: Identity | null, id: string, input: ContentEdit): Promise<Content> {
    requireStaff({ identity: viewer });
    return this.db.$transaction(async (tx) => {
      const current = await tx.content.findUnique({ where: { id } });
      if (!current) throw new NotFoundError("Content");
      if (current.version !== input.expectedVersion) throw staleVersion("This title", current.version);
      const { values, changed, cast, crew } = validateUpdateContent(input, current);
      if (current.type === ContentType.SERIES && values.type !== ContentType.SERIES && (await tx.season.count({ where: { contentId: id } })) > 0) {
        throw new BadUserInputError("A series with seasons cannot become a film; remove its seasons first.", "type");
      }
      // Guarded on the version: of two concurrent edits from the same version, the second matches no row.
      const { count } = await tx.content.updateMany({
        where: { id, version: input.expectedVersion },
        data: { ...values, version: { increment: 1 } },
      });
      if (count === 0) throw staleVersion("This title", current.version + 1);
      await replaceCredits(tx, id, cast, crew);
      const updated = await tx.content.findUniqueOrThrow({ where: { id } });
      await recordEvent(tx, {
        eventType: "ContentUpdated",
        service: SERVICE,
        aggregateType: "content",
        aggregateId: id,
        payload: {
          contentId: id,
          title: updated.title,
          version: updated.version,
          published: updated.publishedAt !== null,
          changed: [...changed, ...(cast ? ["cast"] : []), ...(crew ? ["crew"] : [])],
        },
      });
      return updated;
    });
  }

  /** Makes a title visible to everyone. Idempotent: publishing a published title changes nothing. */
  async publishContent(viewer: Identity | null, id: string): Promise<Content> {
    requireStaff({ identity: viewer });
    return this.db.$transaction(async (tx) => {
      const current = await tx.content.findUnique({ where: { id } });
      if (!current) throw new NotFoundError("Content");
      if (current.publishedAt) return current;
      const { count } = await tx.content.updateMany({
        where: { id, publishedAt: null },
        data: { publishedAt: new Date(), version: { increment: 1 } },
      });
      const published = await tx.content.findUniqueOrThrow({ where: { id } });
      if (count === 0) return published; // published by a concurrent call, which recorded the event
      await recordEvent(tx, {
        eventType: "ContentPublished",
        service: SERVICE,
        aggregateType: "content",
        aggregateId: id,
        payload: {
          contentId: id,
          title: published.title,
          type: published.type,
          genres: published.genres,
          maturityRating: published.maturityRating,
          publishedAt: (published.publishedAt ?? new Date()).toISOString(),
        },
      });
      return published;
    });
  }

  async createSeason(viewer: Identity | null, input: NewSeason): Promise<Season> {
    requireStaff({ identity: viewer });
    const values = validateCreateSeason(input);
    return this.db.$transaction(async (tx) => {
      const content = await tx.content.findUnique({ where: { id: input.contentId }, select: { type: true } });
      if (!content) throw new NotFoundError("Content");
      if (content.type !== ContentType.SERIES) throw new BadUserInputError("Only a series has seasons.", "contentId");
      let season: Season;
      try {
        season = await tx.season.create({ data: { ...values, contentId: input.contentId } });
      } catch (error) {
        translateDatabaseError(error, `Season ${values.number} of this series`);
      }
      await recordPartEdited(tx, { contentId: input.contentId, seasonId: season.id });
      return season;
    });
  }

  async updateSeason(viewer: Identity | null, id: string, input: SeasonEdit): Promise<Season> {
    requireStaff({ identity: viewer });
    const values = validateUpdateSeason(input);
    return this.db.$transaction(async (tx) => {
      const current = await tx.season.findUnique({ where: { id } });
      if (!current) throw new NotFoundError("Season");
      if (current.version !== input.expectedVersion) throw staleVersion("This season", current.version);
      let count: number;
      try {
        ({ count } = await tx.season.updateMany({
          where: { id, version: input.expectedVersion },
          data: { ...values, version: { increment: 1 } },
        }));
      } catch (error) {
        translateDatabaseError(error, `Season ${values.number ?? current.number} of this series`);
      }
      if (count === 0) throw staleVersion("This season", current.version + 1);
      await recordPartEdited(tx, { contentId: current.contentId, seasonId: id });
      return tx.season.findUniqueOrThrow({ where: { id } });
    });
  }

  /**
   * Adds an episode to a season. When the series is published, an EpisodeAdded event goes out in the same
   * transaction (the notification service tells the profiles that have the series on their watchlist).
   */
  async createEpisode(viewer: Identity | null, input: NewEpisode): Promise<Episode> {
    requireStaff({ identity: viewer });
    const values = validateCreateEpisode(input);
    return this.db.$transaction(async (tx) => {
      const season = await tx.season.findUnique({
        where: { id: input.seasonId },
        include: { content: { select: { id: true, title: true, publishedAt: true } } },
      });
      if (!season) throw new NotFoundError("Season");
      let episode: Episode;
      try {
        episode = await tx.episode.create({ data: { ...values, seasonId: season.id, contentId: season.contentId } });
      } catch (error) {
        translateDatabaseError(error, `Episode ${values.number} of season ${season.number}`);
      }
      if (season.content.publishedAt) {
        await recordEvent(tx, {
          eventType: "EpisodeAdded",
          service: SERVICE,
          aggregateType: "content",
          aggregateId: season.contentId,
          payload: {
            contentId: season.contentId,
            contentTitle: season.content.title,
            seasonId: season.id,
            seasonNumber: season.number,
            episodeId: episode.id,
            episodeNumber: episode.number,
            episodeTitle: episode.title,
          },
        });
      }
      return episode;
    });
  }

  async updateEpisode(viewer: Identity | null, id: string, input: EpisodeEdit): Promise<Episode> {
    requireStaff({ identity: viewer });
    const values = validateUpdateEpisode(input);
    return this.db.$transaction(async (tx) => {
      const current = await tx.episode.findUnique({ where: { id } });
      if (!current) throw new NotFoundError("Episode");
      if (current.version !== input.expectedVersion) throw staleVersion("This episode", current.version);
      let count: number;
      try {
        ({ count } = await tx.episode.updateMany({
          where: { id, version: input.expectedVersion },
          data: { ...values, version: { increment: 1 } },
        }));
      } catch (error) {
        translateDatabaseError(error, `Episode ${values.number ?? current.number} of this season`);
      }
      if (count === 0) throw staleVersion("This episode", current.version + 1);
      await recordPartEdited(tx, { contentId: current.contentId, seasonId: current.seasonId, episodeId: id });
      return tx.episode.findUniqueOrThrow({ where: { id } });
    });
  }
}
