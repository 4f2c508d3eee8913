import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { Content as ContentRow, Episode as EpisodeRow, Season as SeasonRow } from "@watchflixx/db";
import { Content } from "../entities/content.ts";
import { Episode } from "../entities/episode.ts";
import { Season } from "../entities/season.ts";
import type { CatalogService } from "../services/catalog.service.ts";
import { readerOf, type Context } from "./context.ts";

@Resolver(() => Season)
export class SeasonResolver {
  constructor(private readonly catalog: CatalogService) {}

  @FieldResolver(() => [Episode], { description: "In order." })
  episodes(@Root() season: SeasonRow, @Ctx() ctx: Context): Promise<EpisodeRow[]> {
    return ctx.loaders.episodesOfSeason.load(season.id);
  }

  @FieldResolver(() => Content, { description: "The series." })
  content(@Root() season: SeasonRow, @Ctx() ctx: Context): Promise<ContentRow> {
    return this.catalog.parentContent(readerOf(ctx), season.contentId);
  }
}
