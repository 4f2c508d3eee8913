// Profiles: the caller's own through `profile(id)` and the CRUD mutations; anyone's public fields through
// references. Owner-only fields check the caller on every resolution, wherever the profile came from.
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { DateTimeScalar, ForbiddenError, MaturityRating, requireIdentity, type Identity } from "@watchflixx/common";
import { Profile, type ProfileRow } from "../entities/profile.ts";
import { ProfileSettings } from "../entities/settings.ts";
import { CreateProfileInput, UpdateProfileInput } from "../inputs/profile.inputs.ts";
import { ProfileService } from "../services/profile.service.ts";
import { PinGuard } from "../services/pin-guard.ts";
import type { AuthSettings } from "../settings.ts";
import type { AuthContext } from "./context.ts";

function ownedByCaller(profile: ProfileRow, identity: Identity | null): ProfileRow {
  if (!identity || identity.userId !== profile.userId) {
    throw new ForbiddenError("Only the profile's own account can see this field.");
  }
  return profile;
}

@Resolver(() => Profile)
export class ProfileResolver {
  constructor(private readonly authSettings: AuthSettings) {}

  private service(ctx: AuthContext): ProfileService {
    return new ProfileService(ctx.db, new PinGuard(ctx.rateLimits));
  }

  @Query(() => Profile, { nullable: true, description: "One of the caller's profiles; null with NOT_FOUND otherwise." })
  profile(@Arg("id", () => ID) id: string, @Ctx() ctx: AuthContext): Promise<ProfileRow> {
    return this.service(ctx).own(requireIdentity(ctx), id);
  }

  @Mutation(() => Profile, { description: "At most 5 per account (FORBIDDEN beyond); names are unique per account (CONFLICT)." })
  createProfile(@Arg("input", () => CreateProfileInput) input: CreateProfileInput, @Ctx() ctx: AuthContext): Promise<ProfileRow> {
    return this.service(ctx).create(requireIdentity(ctx), input);
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
    return this.service(ctx).update(requireIdentity(ctx), id, input);
  }

  @Mutation(() => Boolean, {
    description:
      "True when the profile was deleted; false when the caller has no such profile. Idempotent. FORBIDDEN (reason PROFILE_LOCKED) while a PIN-protected profile is locked on this device.",
  })
  deleteProfile(@Arg("id", () => ID) id: string, @Ctx() ctx: AuthContext): Promise<boolean> {
    return this.service(ctx).delete(requireIdentity(ctx), id);
  }

  @Mutation(() => Boolean, {
    description:
      "Unlocks a PIN-protected profile on the caller's device until it signs out or 12 hours pass (true; also true for a profile without a PIN). FORBIDDEN with reason WRONG_PIN for a wrong PIN; RATE_LIMITED (retryAfterSeconds) after 5 wrong PINs in 15 minutes.",
  })
  unlockProfile(@Arg("profileId", () => ID) profileId: string, @Arg("pin", () => String) pin: string, @Ctx() ctx: AuthContext): Promise<boolean> {
    return this.service(ctx).unlock(requireIdentity(ctx), profileId, pin);
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
