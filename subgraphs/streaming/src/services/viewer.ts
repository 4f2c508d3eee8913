// The caller's profile for a `profileId` argument, checked once per request: several fields of one query
// (20 `Content.progress` of a browse page, say) ask for the same profile and share one lookup.
import { requireUnlocked, resolveViewerProfile, type SubgraphContext, type ViewerProfile } from "@watchflixx/common";

export interface ViewerCache {
  viewerProfiles: Map<string, Promise<ViewerProfile>>;
}

/** The caller's own profile (NOT_FOUND for anyone else's, UNAUTHENTICATED without a caller), with its maturity limit. */
export function viewerProfile(context: SubgraphContext<ViewerCache>, profileId: string): Promise<ViewerProfile> {
  const cache = context.loaders.viewerProfiles;
  let profile = cache.get(profileId);
  if (!profile) {
    profile = resolveViewerProfile(context.db, context.identity, profileId);
    cache.set(profileId, profile);
  }
  return profile;
}

/** The same, for what plays or changes the profile: a PIN-protected profile must be unlocked on this device (PROFILE_LOCKED). */
export async function unlockedProfile(context: SubgraphContext<ViewerCache>, profileId: string): Promise<ViewerProfile> {
  return requireUnlocked(await viewerProfile(context, profileId));
}
