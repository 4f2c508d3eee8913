// Catalog queries and the fields of Content that come from other tables (batched through the loaders).
import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, Directive, FieldResolver, ID, Info, Int, Query, Resolver, Root } from "type-graphql";
import { rentalPriceOfTitle } from "@watchflixx/common";
import type { CastMember as CastRow, Content as ContentRow, CrewMember as CrewRow, Season as SeasonRow } from "@watchflixx/db";
import { Content } from "../entities/content.ts";
import { Money } from "../entities/money.ts";
import { CastMember, CrewMember } from "../entities/credits.ts";
import { ContentConnection } from "../entities/connection.ts";
import { Season } from "../entities/season.ts";
import { SubtitleTrack } from "../entities/subtitle.ts";
import { ContentFilter } from "../inputs/content-filter.input.ts";
import { browseCursor, type CatalogService } from "../services/catalog.service.ts";
import type { SubtitleTrackRow } from "../services/batch-queries.ts";
import { readerOf, type Context } from "./context.ts";
import { selectedFields } from "./selection.ts";

@Resolver(() => Content)
export class ContentResolver {
  constructor(private readonly catalog: CatalogService) {}

  @Query(() => Content, { nullable: true, description: "A title; null (NOT_FOUND) when unknown or unpublished." })
  content(@Arg("id", () => ID) id: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<ContentRow> {
    const selected = selectedFields(info);
    const seasons = selected.get("seasons");
    return this.catalog.getContent(readerOf(ctx), id, {
      seasons: seasons !== undefined,
      episodes: seasons?.has("episodes") ?? false,
      cast: selected.has("cast"),
      crew: selected.has("crew"),
      subtitles: selected.has("subtitles"),
    });
  }

  @Query(() => ContentConnection, { description: "Published titles, newest first, cursor-paginated (first: at most 100)." })
  async browse(
    @Ctx() ctx: Context,
    @Arg("filter", () => ContentFilter, { nullable: true }) filter?: ContentFilter | null,
    @Arg("first", () => Int, { nullable: true }) first?: number | null,
    @Arg("after", () => String, { nullable: true }) after?: string | null,
  ): Promise<ContentConnection> {
    const page = await this.catalog.browse(readerOf(ctx), filter, first, after);
    const edges = page.rows.map((row) => ({ cursor: browseCursor(row), node: row }));
    return {
      edges,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
      countTotal: page.countTotal,
    };
  }

  @Query(() => [Content], { description: "Full-text search over titles, genres and descriptions; best matches first." })
  search(
    @Arg("query", () => String) query: string,
    @Ctx() ctx: Context,
    @Arg("first", () => Int, { nullable: true }) first?: number | null,
    @Arg("profileId", () => ID, { nullable: true }) profileId?: string | null,
  ): Promise<ContentRow[]> {
    return this.catalog.search(readerOf(ctx), query, first, profileId);
  }

  // Shareable with payment (same function): a screen that reads the title here gets its price in the same fetch.
  @Directive("@shareable")
  @FieldResolver(() => Money, { nullable: true, description: "The price to rent this title; null when it is not for rent." })
  rentalPrice(@Root() content: ContentRow): Money | null {
    return rentalPriceOfTitle(content);
  }

  @FieldResolver(() => [Season], { description: "In order; empty for a film or documentary." })
  seasons(@Root() content: ContentRow, @Ctx() ctx: Context): Promise<SeasonRow[]> {
    return ctx.loaders.seasonsOfContent.load(content.id);
  }

  @FieldResolver(() => [CastMember], { description: "In billing order." })
  cast(@Root() content: ContentRow, @Ctx() ctx: Context): Promise<CastRow[]> {
    return ctx.loaders.castOfContent.load(content.id);
  }

  @FieldResolver(() => [CrewMember])
  crew(@Root() content: ContentRow, @Ctx() ctx: Context): Promise<CrewRow[]> {
    return ctx.loaders.crewOfContent.load(content.id);
  }

  @FieldResolver(() => [SubtitleTrack], { description: "Languages and formats, whether of the film or of its episodes." })
  subtitles(@Root() content: ContentRow, @Ctx() ctx: Context): Promise<SubtitleTrackRow[]> {
    return ctx.loaders.subtitlesOfContent.load(content.id);
  }
}
