// Staff-only mutations (FORBIDDEN for everyone else; the check is in the service).
import { Arg, Ctx, ID, Mutation, Resolver } from "type-graphql";
import type { SubgraphContext } from "@watchflixx/common";
import type { Content as ContentRow, Episode as EpisodeRow, Season as SeasonRow } from "@watchflixx/db";
import { Content } from "../entities/content.ts";
import { Episode } from "../entities/episode.ts";
import { Season } from "../entities/season.ts";
import { CreateContentInput, UpdateContentInput } from "../inputs/content.input.ts";
import { CreateEpisodeInput, UpdateEpisodeInput } from "../inputs/episode.input.ts";
import { CreateSeasonInput, UpdateSeasonInput } from "../inputs/season.input.ts";
import type { Loaders } from "../loaders.ts";
import * as editorial from "../services/editorial.service.ts";

type Context = SubgraphContext<Loaders>;

@Resolver()
export class EditorialResolver {
  @Mutation(() => Content, { description: "Staff only. The new title is unpublished." })
  createContent(@Arg("input", () => CreateContentInput) input: CreateContentInput, @Ctx() ctx: Context): Promise<ContentRow> {
    return editorial.createContent(ctx, input);
  }

  @Mutation(() => Content, { description: "Staff only. CONFLICT when `expectedVersion` is not the current version." })
  updateContent(
    @Arg("id", () => ID) id: string,
    @Arg("input", () => UpdateContentInput) input: UpdateContentInput,
    @Ctx() ctx: Context,
  ): Promise<ContentRow> {
    return editorial.updateContent(ctx, id, input);
  }

  @Mutation(() => Content, { description: "Staff only. Makes the title visible to everyone; idempotent." })
  publishContent(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<ContentRow> {
    return editorial.publishContent(ctx, id);
  }

  @Mutation(() => Season, { description: "Staff only. Seasons belong to series." })
  createSeason(@Arg("input", () => CreateSeasonInput) input: CreateSeasonInput, @Ctx() ctx: Context): Promise<SeasonRow> {
    return editorial.createSeason(ctx, input);
  }

  @Mutation(() => Season, { description: "Staff only." })
  updateSeason(
    @Arg("id", () => ID) id: string,
    @Arg("input", () => UpdateSeasonInput) input: UpdateSeasonInput,
    @Ctx() ctx: Context,
  ): Promise<SeasonRow> {
    return editorial.updateSeason(ctx, id, input);
  }

  @Mutation(() => Episode, { description: "Staff only." })
  createEpisode(@Arg("input", () => CreateEpisodeInput) input: CreateEpisodeInput, @Ctx() ctx: Context): Promise<EpisodeRow> {
    return editorial.createEpisode(ctx, input);
  }

  @Mutation(() => Episode, { description: "Staff only." })
  updateEpisode(
    @Arg("id", () => ID) id: string,
    @Arg("input", () => UpdateEpisodeInput) input: UpdateEpisodeInput,
    @Ctx() ctx: Context,
  ): Promise<EpisodeRow> {
    return editorial.updateEpisode(ctx, id, input);
  }
}
