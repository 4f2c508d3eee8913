// Staff-only mutations (FORBIDDEN for everyone else; the check is in the service).
import { Arg, Ctx, ID, Mutation, Resolver } from "type-graphql";
import type { Content as ContentRow, Episode as EpisodeRow, Season as SeasonRow } from "@watchflixx/db";
import { Content } from "../entities/content.ts";
import { Episode } from "../entities/episode.ts";
import { Season } from "../entities/season.ts";
import { CreateContentInput, UpdateContentInput } from "../inputs/content.input.ts";
import { CreateEpisodeInput, UpdateEpisodeInput } from "../inputs/episode.input.ts";
import { CreateSeasonInput, UpdateSeasonInput } from "../inputs/season.input.ts";
import type { EditorialService } from "../services/editorial.service.ts";
import type { Context } from "./context.ts";

@Resolver()
export class EditorialResolver {
  constructor(private readonly editorial: EditorialService) {}

  @Mutation(() => Content, { description: "Staff only. The new title is unpublished." })
  createContent(@Arg("input", () => CreateContentInput) input: CreateContentInput, @Ctx() ctx: Context): Promise<ContentRow> {
    return this.editorial.createContent(ctx.identity, input);
  }

  @Mutation(() => Content, { description: "Staff only. CONFLICT when `expectedVersion` is not the current version." })
  updateContent(
    @Arg("id", () => ID) id: string,
    @Arg("input", () => UpdateContentInput) input: UpdateContentInput,
    @Ctx() ctx: Context,
  ): Promise<ContentRow> {
    return this.editorial.updateContent(ctx.identity, id, input);
  }

  @Mutation(() => Content, { description: "Staff only. Makes the title visible to everyone; idempotent." })
  publishContent(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<ContentRow> {
    return this.editorial.publishContent(ctx.identity, id);
  }

  @Mutation(() => Season, { description: "Staff only. Seasons belong to series." })
  createSeason(@Arg("input", () => CreateSeasonInput) input: CreateSeasonInput, @Ctx() ctx: Context): Promise<SeasonRow> {
    return this.editorial.createSeason(ctx.identity, input);
  }

  @Mutation(() => Season, { description: "Staff only." })
  updateSeason(
    @Arg("id", () => ID) id: string,
    @Arg("input", () => UpdateSeasonInput) input: UpdateSeasonInput,
    @Ctx() ctx: Context,
  ): Promise<SeasonRow> {
    return this.editorial.updateSeason(ctx.identity, id, input);
  }

  @Mutation(() => Episode, { description: "Staff only." })
  createEpisode(@Arg("input", () => CreateEpisodeInput) input: CreateEpisodeInput, @Ctx() ctx: Context): Promise<EpisodeRow> {
    return this.editorial.createEpisode(ctx.identity, input);
  }

  @Mutation(() => Episode, { description: "Staff only." })
  updateEpisode(
    @Arg("id", () => ID) id: string,
    @Arg("input", () => UpdateEpisodeInput) input: UpdateEpisodeInput,
    @Ctx() ctx: Context,
  ): Promise<EpisodeRow> {
    return this.editorial.updateEpisode(ctx.identity, id, input);
  }
}
