// Reading accounts, profiles and devices: the caller's own, other subgraphs' references, and the lists and
// settings under them, batched through the request's loaders (one query per batch, however many are asked for).
// Who may see what is decided here:
// - a User resolves only for itself and staff (anyone else gets null, without a query); its lists need no
//   further check, since a User only ever reaches a client that may see it;
// - any Profile id resolves (reviews and parties show strangers' profiles), but only id, name and avatarUrl are
//   public: every other field asks `ownedProfile`, which refuses anyone but the owning account;
// - a Device resolves only for its own account and staff.
import { ForbiddenError, UnauthenticatedError, requireIdentity, type Identity } from "@watchflixx/common";
import type { AuthLoaders } from "../loaders.ts";
import type { DeviceRow, ProfileRow, UserRow } from "./batch-queries.ts";

/** Who asks (null: anonymous), and this request's loaders, which the reads batch through. */
export interface DirectoryReader {
  viewer: Identity | null;
  loaders: AuthLoaders;
}

export interface UserSettingsValues {
  language: string;
  emailNotifications: boolean;
  autoplayPreviews: boolean;
  dataSaver: boolean;
}

export interface ProfileSettingsValues {
  language: string;
  subtitleLanguage: string | null;
  autoplayNext: boolean;
}

const DEFAULT_USER_SETTINGS: UserSettingsValues = { language: "en", emailNotifications: true, autoplayPreviews: true, dataSaver: false };

function mayResolveAccount(viewer: Identity | null, userId: string): viewer is Identity {
  return viewer !== null && (viewer.userId === userId || viewer.role === "STAFF");
}

export class DirectoryService {
  /** The signed-in account. UNAUTHENTICATED without a caller, or when the account is gone. */
  async me(reader: DirectoryReader): Promise<UserRow> {
    const identity = requireIdentity({ identity: reader.viewer });
    const user = await reader.loaders.user.load(identity.userId);
    if (!user) throw new UnauthenticatedError("This account no longer exists.");
    return user;
  }

  /** Oldest first. */
  profilesOf(reader: DirectoryReader, user: UserRow): Promise<ProfileRow[]> {
    return reader.loaders.profilesByUser.load(user.id);
  }

  /** Signed-in devices, most recently seen first. */
  devicesOf(reader: DirectoryReader, user: UserRow): Promise<DeviceRow[]> {
    return reader.loaders.activeDevicesByUser.load(user.id);
  }

  async settingsOf(reader: DirectoryReader, user: UserRow): Promise<UserSettingsValues> {
    return (await reader.loaders.userSettings.load(user.id)) ?? DEFAULT_USER_SETTINGS;
  }

  /** The profile, for an owner-only field: FORBIDDEN to anyone but the owning account. */
  ownedProfile(viewer: Identity | null, profile: ProfileRow): ProfileRow {
    if (!viewer || viewer.userId !== profile.userId) {
      throw new ForbiddenError("Only the profile's own account can see this field.");
    }
    return profile;
  }

  /** Owner only; a profile without a settings row gets the defaults it would have been created with. */
  async profileSettings(reader: DirectoryReader, profile: ProfileRow): Promise<ProfileSettingsValues> {
    this.ownedProfile(reader.viewer, profile);
    return (await reader.loaders.profileSettings.load(profile.id)) ?? { language: "en", subtitleLanguage: null, autoplayNext: !profile.isKids };
  }

  async userReference(reader: DirectoryReader, id: string): Promise<UserRow | null> {
    if (!mayResolveAccount(reader.viewer, id)) return null;
    return reader.loaders.user.load(id);
  }

  /** Any id; what a stranger may see of it is decided per field (`ownedProfile`). */
  profileReference(reader: DirectoryReader, id: string): Promise<ProfileRow | null> {
    return reader.loaders.profile.load(id);
  }

  async deviceReference(reader: DirectoryReader, id: string): Promise<DeviceRow | null> {
    if (!reader.viewer) return null;
    const device = await reader.loaders.device.load(id);
    if (!device || !mayResolveAccount(reader.viewer, device.userId)) return null;
    return device;
  }
}
