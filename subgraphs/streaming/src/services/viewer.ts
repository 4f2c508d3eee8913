// The caller's profile for a `profileId` argument, checked once per request: several fields of one query
// (20 `Content.progress` of a browse page, say) ask for the same profile and share one lookup.
import type { PrismaClient } from "@watchflixx/db";
import { requireUnlocked, resolveViewerProfile, type Identity, type ProfileAccessCache, type ViewerProfile } from "@watchflixx/common";
import type { Loaders } from "../loaders.ts";

/** Who asks (null: anonymous), and this request's loaders, which the reads batch through and share look-ups in. */
export interface StreamingReader {
  viewer: Identity | null;
  loaders: Loaders;
}

export class ViewerProfiles {
  constructor(
    private readonly db: PrismaClient,
    private readonly profileAccess: ProfileAccessCache,
  ) {}

  /** The caller's own profile (NOT_FOUND for anyone else's, UNAUTHENTICATED without a caller), with its maturity limit. */
  of(reader: StreamingReader, profileId: string): Promise<ViewerProfile> {
    const cache = reader.loaders.viewerProfiles;
    let profile = cache.get(profileId);
    if (!profile) {
      profile = resolveViewerProfile(this.db, reader.viewer, profileId, this.profileAccess);
      cache.set(profileId, profile);
    }
    return profile;
  }

  /** The same, for what plays or changes the profile: a PIN-protected profile must be unlocked on this device (PROFILE_LOCKED). */
  async unlocked(reader: StreamingReader, profileId: string): Promise<ViewerProfile> {
    return requireUnlocked(await this.of(reader, profileId));
  }
}
