// Profiles: the caller's own through `profile(id)` and the CRUD mutations; anyone's public fields through
// references. Owner-only fields check the caller on every resolution, wherever the profile came from.
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { DateTimeScalar, MaturityRating, requireIdentity } from "@watchflixx/common";
import { Profile } from "../entities/profile.ts";
import { ProfileSettings } from "../entities/settings.ts";
import { CreateProfileInput, UpdateProfileInput } from "../inputs/profile.inputs.ts";
import type { ProfileRow } from "../services/batch-queries.ts";
import type { DirectoryService, ProfileSettingsValues } from "../services/directory.service.ts";
import type { ProfileService } from "../services/profile.service.ts";
import { readerOf, type AuthContext } from "./context.ts";

@Resolver(() => Profile)
export class ProfileResolver {
  constructor(
    private readonly profiles: ProfileService,
    private readonly directory: DirectoryService,
  ) {}

  @Query(() => Profile, { nullable: true, description: "One of the caller's profiles; null with NOT_FOUND otherwise." })
  profile(@Arg("id", () => ID) id: string, @Ctx() ctx: AuthContext): Promise<ProfileRow> {
    return this.profiles.own(requireIdentity(ctx), id);
  }

  @Mutation(() => Profile, { description: "At most 5 per account (FORBIDDEN beyond); names are unique per account (CONFLICT)." })
  createProfile(@Arg("input", () => CreateProfileInput) input: CreateProfileInput, @Ctx() ctx: AuthContext): Promise<ProfileRow> {
    return this.profiles.create(requireIdentity(ctx), input);
  }

  @Mutation(() => Profile, {
    description:
      "CONFLICT when input.expectedVersion is stale; NOT_FOUND when not the caller's; FORBIDDEN (reason PROFILE_LOCKED) while a PIN-protected profile is locked on this device.",
  })
  updateProfile(
    @Arg("id", () => ID) id: string,
    @Arg("input", () => UpdateProfileInput) input: UpdateProfileInput,
    @Ctx() ctx: AuthContext,
  ): Promise<ProfileRow> {
    return this.profiles.update(requireIdentity(ctx), id, input);
  }

  @Mutation(() => Boolean, {
    description:
      "True when the profile was deleted; false when the caller has no such profile. Idempotent. FORBIDDEN (reason PROFILE_LOCKED) while a PIN-protected profile is locked on this device.",
  })
  deleteProfile(@Arg("id", () => ID) id: string, @Ctx() ctx: AuthContext): Promise<boolean> {
    return this.profiles.delete(requireIdentity(ctx), id);
  }

  @Mutation(() => Boolean, {
    description:
      "Unlocks a PIN-protected profile on the caller's device until it signs out or 12 hours pass (true; also true for a profile without a PIN). FORBIDDEN with reason WRONG_PIN for a wrong PIN; RATE_LIMITED (retryAfterSeconds) after 5 wrong PINs in 15 minutes.",
  })
  unlockProfile(@Arg("profileId", () => ID) profileId: string, @Arg("pin", () => String) pin: string, @Ctx() ctx: AuthContext): Promise<boolean> {
    return this.profiles.unlock(requireIdentity(ctx), profileId, pin);
  }

  @FieldResolver(() => Boolean, { nullable: true })
  isKids(@Root() profile: ProfileRow, @Ctx() ctx: AuthContext): boolean {
    return this.directory.ownedProfile(ctx.identity, profile).isKids;
  }

  @FieldResolver(() => MaturityRating, { nullable: true })
  maturityRating(@Root() profile: ProfileRow, @Ctx() ctx: AuthContext): MaturityRating {
    return this.directory.ownedProfile(ctx.identity, profile).maturityRating;
  }

  @FieldResolver(() => Boolean, { nullable: true })
  hasPin(@Root() profile: ProfileRow, @Ctx() ctx: AuthContext): boolean {
    return this.directory.ownedProfile(ctx.identity, profile).pinHash !== null;
  }

  @FieldResolver(() => Int, { nullable: true })
  version(@Root() profile: ProfileRow, @Ctx() ctx: AuthContext): number {
    return this.directory.ownedProfile(ctx.identity, profile).version;
  }

  @FieldResolver(() => DateTimeScalar, { nullable: true })
  createdAt(@Root() profile: ProfileRow, @Ctx() ctx: AuthContext): Date {
    return this.directory.ownedProfile(ctx.identity, profile).createdAt;
  }

  @FieldResolver(() => ProfileSettings, { nullable: true, description: "Owner only." })
  settings(@Root() profile: ProfileRow, @Ctx() ctx: AuthContext): Promise<ProfileSettingsValues> {
    return this.directory.profileSettings(readerOf(ctx), profile);
  }
}
