import { Ctx, Directive, FieldResolver, Resolver, Root } from "type-graphql";
import type { Content as ContentRow, Episode as EpisodeRow, Season as SeasonRow } from "@watchflixx/db";
import { Content } from "../entities/content.ts";
import { Episode } from "../entities/episode.ts";
import { Season } from "../entities/season.ts";
import type { CatalogService } from "../services/catalog.service.ts";
import { readerOf, type Context } from "./context.ts";

@Resolver(() => Episode)
export class EpisodeResolver {
  constructor(private readonly catalog: CatalogService) {}

  @Directive("@shareable")
  @FieldResolver(() => Season)
  season(@Root() episode: EpisodeRow, @Ctx() ctx: Context): Promise<SeasonRow> {
    return this.catalog.parentSeason(readerOf(ctx), episode.seasonId);
  }

  @FieldResolver(() => Content, { description: "The series." })
  content(@Root() episode: EpisodeRow, @Ctx() ctx: Context): Promise<ContentRow> {
    return this.catalog.parentContent(readerOf(ctx), episode.contentId);
  }
}
