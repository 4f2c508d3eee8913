// Profiles: the caller's own through `profile(id)` and the CRUD mutations; anyone's public fields through
// references. Owner-only fields check the caller on every resolution, wherever the profile came from.
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { DateTimeScalar, ForbiddenError, MaturityRating, requireIdentity, type Identity } from "@watchflixx/common";
import { Profile, type ProfileRow } from "../entities/profile.ts";
import { ProfileSettings } from "../entities/settings.ts";
import { CreateProfileInput, UpdateProfileInput } from "../inputs/profile.inputs.ts";
import { ProfileService } from "../services/profile.service.ts";
import type { AuthContext } from "./context.ts";

function ownedByCaller(profile: ProfileRow, identity: Identity | null): ProfileRow {
  if (!identity || identity.userId !== profile.userId) {
    throw new ForbiddenError("Only the profile's own account can see this field.");
  }
  return profile;
}

@Resolver(() => Profile)
export class ProfileResolver {
  @Query(() => Profile, { nullable: true, description: "One of the caller's profiles; null with NOT_FOUND otherwise." })
  profile(@Arg("id", () => ID) id: string, @Ctx() ctx: AuthContext): Promise<ProfileRow> {
    return new ProfileService(ctx.db).own(requireIdentity(ctx), id);
  }

  @Mutation(() => Profile, { description: "At most 5 per account (FORBIDDEN beyond); names are unique per account (CONFLICT)." })
  createProfile(@Arg("input", () => CreateProfileInput) input: CreateProfileInput, @Ctx() ctx: AuthContext): Promise<ProfileRow> {
    return new ProfileService(ctx.db).create(requireIdentity(ctx), input);
  }

  @Mutation(() => Profile, { description: "CONFLICT when input.expectedVersion is stale; NOT_FOUND when not the caller's." })
  updateProfile(
    @Arg("id", () => ID) id: string,
    @Arg("input", () => UpdateProfileInput) input: UpdateProfileInput,
    @Ctx() ctx: AuthContext,
  ): Promise<ProfileRow> {
    return new ProfileService(ctx.db).update(requireIdentity(ctx), id, input);
  }

  @Mutation(() => Boolean, { description: "True when the profile was deleted; false when the caller has no such profile. Idempotent." })
  deleteProfile(@Arg("id", () => ID) id: string, @Ctx() ctx: AuthContext): Promise<boolean> {
    return new ProfileService(ctx.db).delete(requireIdentity(ctx), id);
  }

  @FieldResolver(() => Boolean, { nullable: true })
  isKids(@Root() profile: ProfileRow, @Ctx() ctx: AuthContext): boolean {
    return ownedByCaller(profile, ctx.identity).isKids;
  }

  @FieldResolver(() => MaturityRating, { nullable: true })
  maturityRating(@Root() profile: ProfileRow, @Ctx() ctx: AuthContext): MaturityRating {
    return ownedByCaller(profile, ctx.identity).maturityRating;
  }

  @FieldResolver(() => Boolean, { nullable: true })
  hasPin(@Root() profile: ProfileRow, @Ctx() ctx: AuthContext): boolean {
    return ownedByCaller(profile, ctx.identity).pinHash !== null;
  }

  @FieldResolver(() => Int, { nullable: true })
  version(@Root() profile: ProfileRow, @Ctx() ctx: AuthContext): number {
    return ownedByCaller(profile, ctx.identity).version;
  }

  @FieldResolver(() => DateTimeScalar, { nullable: true })
  createdAt(@Root() profile: ProfileRow, @Ctx() ctx: AuthContext): Date {
    return ownedByCaller(profile, ctx.identity).createdAt;
  }

  @FieldResolver(() => ProfileSettings, { nullable: true, description: "Owner only." })
  async settings(@Root() profile: ProfileRow, @Ctx() ctx: AuthContext): Promise<ProfileSettings> {
    ownedByCaller(profile, ctx.identity);
    return (
      (await ctx.loaders.profileSettings.load(profile.id)) ?? { language: "en", subtitleLanguage: null, autoplayNext: !profile.isKids }
    );
  }
}
