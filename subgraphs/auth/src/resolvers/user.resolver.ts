// The account's own lists, batched per request (one query however many users a request resolves).
import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { Device } from "../entities/device.ts";
import { Profile } from "../entities/profile.ts";
import { UserSettings } from "../entities/settings.ts";
import { User } from "../entities/user.ts";
import type { DeviceRow, ProfileRow, UserRow } from "../services/batch-queries.ts";
import type { DirectoryService, UserSettingsValues } from "../services/directory.service.ts";
import { readerOf, type AuthContext } from "./context.ts";

@Resolver(() => User)
export class UserResolver {
  constructor(private readonly directory: DirectoryService) {}

  @FieldResolver(() => [Profile], { description: "Oldest first." })
  profiles(@Root() user: UserRow, @Ctx() ctx: AuthContext): Promise<ProfileRow[]> {
    return this.directory.profilesOf(readerOf(ctx), user);
  }

  @FieldResolver(() => [Device], { description: "Signed-in devices, most recently seen first." })
  devices(@Root() user: UserRow, @Ctx() ctx: AuthContext): Promise<DeviceRow[]> {
    return this.directory.devicesOf(readerOf(ctx), user);
  }

  @FieldResolver(() => UserSettings)
  settings(@Root() user: UserRow, @Ctx() ctx: AuthContext): Promise<UserSettingsValues> {
    return this.directory.settingsOf(readerOf(ctx), user);
  }
}
