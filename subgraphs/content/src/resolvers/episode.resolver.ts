import { Ctx, Directive, FieldResolver, Resolver, Root } from "type-graphql";
import type { SubgraphContext } from "@watchflixx/common";
import type { Content as ContentRow, Episode as EpisodeRow, Season as SeasonRow } from "@watchflixx/db";
import { Content } from "../entities/content.ts";
import { Episode } from "../entities/episode.ts";
import { Season } from "../entities/season.ts";
import type { Loaders } from "../loaders.ts";
import { parentContent, parentSeason } from "../services/catalog.service.ts";

type Context = SubgraphContext<Loaders>;

@Resolver(() => Episode)
export class EpisodeResolver {
  @Directive("@shareable")
  @FieldResolver(() => Season)
  season(@Root() episode: EpisodeRow, @Ctx() ctx: Context): Promise<SeasonRow> {
    return parentSeason(ctx, episode.seasonId);
  }

  @FieldResolver(() => Content, { description: "The series." })
  content(@Root() episode: EpisodeRow, @Ctx() ctx: Context): Promise<ContentRow> {
    return parentContent(ctx, episode.contentId);
  }
}
