// The account's own lists, batched per request (one query however many users a request resolves).
import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { Device, type DeviceRow } from "../entities/device.ts";
import { Profile, type ProfileRow } from "../entities/profile.ts";
import { UserSettings } from "../entities/settings.ts";
import { User, type UserRow } from "../entities/user.ts";
import type { AuthContext } from "./context.ts";

const DEFAULT_USER_SETTINGS: UserSettings = { language: "en", emailNotifications: true, autoplayPreviews: true, dataSaver: false };

// A User only ever reaches a client as the caller itself (me, AuthPayload) or through the reference resolver,
// which answers only the account itself and staff: these fields need no further check.
@Resolver(() => User)
export class UserResolver {
  @FieldResolver(() => [Profile], { description: "Oldest first." })
  profiles(@Root() user: UserRow, @Ctx() ctx: AuthContext): Promise<ProfileRow[]> {
    return ctx.loaders.profilesByUser.load(user.id);
  }

  @FieldResolver(() => [Device], { description: "Signed-in devices, most recently seen first." })
  devices(@Root() user: UserRow, @Ctx() ctx: AuthContext): Promise<DeviceRow[]> {
    return ctx.loaders.activeDevicesByUser.load(user.id);
  }

  @FieldResolver(() => UserSettings)
  async settings(@Root() user: UserRow, @Ctx() ctx: AuthContext): Promise<UserSettings> {
    return (await ctx.loaders.userSettings.load(user.id)) ?? DEFAULT_USER_SETTINGS;
  }
}
