import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { SubgraphContext } from "@watchflixx/common";
import type { Content as ContentRow, Episode as EpisodeRow, Season as SeasonRow } from "@watchflixx/db";
import { Content } from "../entities/content.ts";
import { Episode } from "../entities/episode.ts";
import { Season } from "../entities/season.ts";
import type { Loaders } from "../loaders.ts";
import { parentContent } from "../services/catalog.service.ts";

type Context = SubgraphContext<Loaders>;

@Resolver(() => Season)
export class SeasonResolver {
  @FieldResolver(() => [Episode], { description: "In order." })
  episodes(@Root() season: SeasonRow, @Ctx() ctx: Context): Promise<EpisodeRow[]> {
    return ctx.loaders.episodesOfSeason.load(season.id);
  }

  @FieldResolver(() => Content, { description: "The series." })
  content(@Root() season: SeasonRow, @Ctx() ctx: Context): Promise<ContentRow> {
    return parentContent(ctx, season.contentId);
  }
}
