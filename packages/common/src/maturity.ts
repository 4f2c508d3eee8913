// Parental controls, in one place for the whole supergraph: how maturity ratings order, and how a
// `profileId` argument becomes a maturity limit. Every subgraph that takes a `profileId` calls
// `resolveViewerProfile`; none re-implements the ownership check or the kids rule.
import DataLoader from "dataloader";
import type { MaturityRating, PrismaClient } from "@watchflixx/db";
import { ErrorCode, AppError, NotFoundError } from "./errors.ts";
import { requireIdentity } from "./context.ts";
import type { Identity } from "./identity.ts";
import { unlockCutoff } from "./profile-lock.ts";
import { PROFILE_GONE, profileAccessFacts, type ProfileAccessCache, type ProfileAccessFacts } from "./profile-access.ts";

/** From least to most restricted audience. */
export const MATURITY_ORDER: readonly MaturityRating[] = ["G", "PG", "PG13", "R", "NC17"];

/** A kids profile never sees anything above this, whatever its own setting says. */
export const KIDS_MATURITY_LIMIT: MaturityRating = "PG";

export function maturityRank(rating: MaturityRating): number {
  return MATURITY_ORDER.indexOf(rating);
}

/** The ratings a viewer with this limit may watch (inclusive). */
export function ratingsUpTo(limit: MaturityRating): MaturityRating[] {
  return MATURITY_ORDER.slice(0, maturityRank(limit) + 1);
}

export function isAllowed(rating: MaturityRating, limit: MaturityRating | null): boolean {
  return limit === null || maturityRank(rating) <= maturityRank(limit);
}

/** A title above the profile's limit: FORBIDDEN, `extensions.reason` MATURITY_LIMIT (the title itself is public). */
export function requireWithinMaturityLimit(rating: MaturityRating, limit: MaturityRating | null): void {
  if (!isAllowed(rating, limit)) throw new AppError(ErrorCode.FORBIDDEN, "This title is above this profile's maturity limit.", { reason: "MATURITY_LIMIT" });
}

/** The limit that actually applies to a profile: its own, and never above PG for a kids profile. */
export function effectiveMaturityLimit(profile: { isKids: boolean; maturityRating: MaturityRating }): MaturityRating {
  if (profile.isKids && maturityRank(profile.maturityRating) > maturityRank(KIDS_MATURITY_LIMIT)) return KIDS_MATURITY_LIMIT;
  return profile.maturityRating;
}

export interface ViewerProfile {
  id: string;
  userId: string;
  name: string;
  isKids: boolean;
  maturityLimit: MaturityRating;
  /** Has a PIN and is not unlocked on the caller's device (see profile-lock.ts; `requireUnlocked`). */
  locked: boolean;
}

type ProfileReader = Pick<PrismaClient, "profile" | "profileUnlock">;
/** The client itself, not a transaction's (which has no `$transaction`): only reads outside a transaction use the cache. */
type CachedProfileReader = Pick<PrismaClient, "profile" | "profileUnlock" | "$transaction">;

/**
 * The caller's own profile with this id, or NOT_FOUND (also when it belongs to another account: a stranger's
 * profile id is answered exactly like an unknown one). UNAUTHENTICATED without a caller.
 *
 * With `access` (the profile-access cache, profile-access.ts) the profile's facts come from the cache, and a miss
 * reads the row and fills the cache from it; without it (inside a transaction, which must see its own snapshot,
 * and in auth's own checks before a write) the row is read. Prisma batches the lookups of one tick into one
 * statement. Only a profile with a PIN costs one more read, of its unlock on the caller's device, never cached.
 */
export async function resolveViewerProfile(db: ProfileReader, identity: Identity | null, profileId: string): Promise<ViewerProfile>;
export async function resolveViewerProfile(db: CachedProfileReader, identity: Identity | null, profileId: string, access: ProfileAccessCache): Promise<ViewerProfile>;
export async function resolveViewerProfile(db: ProfileReader, identity: Identity | null, profileId: string, access?: ProfileAccessCache): Promise<ViewerProfile> {
  const caller = requireIdentity({ identity });
  const profile = await profileFacts(db, profileId, access);
  if (!profile || profile.userId !== caller.userId) throw new NotFoundError("Profile");
  const locked = profile.hasPin && !(await isUnlockedOn(db, profileId, caller.deviceId));
  return {
    id: profileId,
    userId: profile.userId,
    name: profile.name,
    isKids: profile.isKids,
    maturityLimit: effectiveMaturityLimit(profile),
    locked,
  };
}

async function profileFacts(db: ProfileReader, profileId: string, access: ProfileAccessCache | undefined): Promise<ProfileAccessFacts | null> {
  if (access) return factsLoader(db, access).load(profileId);
  const row = await db.profile.findUnique({ where: { id: profileId }, select: FACT_COLUMNS });
  return row && profileAccessFacts(row);
}

const FACT_COLUMNS = { id: true, userId: true, name: true, isKids: true, maturityRating: true, pinHash: true, version: true } as const;

// The profiles asked for in one tick (the watchlists of several profiles, say) are looked up together and answered
// together: their cache lookups sent at once (one command each, concurrently), one statement for the misses, so
// what the callers do next (their own loaders) still batches into one statement, as when every caller read the
// row. No caching here: batching only.
const factsLoaders = new WeakMap<ProfileAccessCache, WeakMap<ProfileReader, DataLoader<string, ProfileAccessFacts | null>>>();

function factsLoader(db: ProfileReader, access: ProfileAccessCache): DataLoader<string, ProfileAccessFacts | null> {
  let byClient = factsLoaders.get(access);
  if (!byClient) factsLoaders.set(access, (byClient = new WeakMap()));
  let loader = byClient.get(db);
  if (!loader) byClient.set(db, (loader = new DataLoader((ids) => readFacts(db, access, ids), { cache: false })));
  return loader;
}

async function readFacts(db: ProfileReader, access: ProfileAccessCache, ids: readonly string[]): Promise<(ProfileAccessFacts | null)[]> {
  const entries = await Promise.all(ids.map((id) => access.get(id)));
  const misses = [...new Set(ids.filter((_, index) => entries[index] === null))];
  const rows = misses.length === 0 ? [] : await db.profile.findMany({ where: { id: { in: misses } }, select: FACT_COLUMNS });
  const read = new Map(rows.map((row) => [row.id, profileAccessFacts(row)]));
  // Not awaited: the fill never holds the request, and the cache keeps it only if nothing newer is stored. No
  // entry for an id without a row: it may be a profile being created.
  for (const [id, facts] of read) void access.offer(id, facts);
  return ids.map((id, index) => {
    const entry = entries[index];
    if (entry === PROFILE_GONE) return null;
    return entry ?? read.get(id) ?? null;
  });
}

async function isUnlockedOn(db: Pick<PrismaClient, "profileUnlock">, profileId: string, deviceId: string | null): Promise<boolean> {
  if (!deviceId) return false;
  const unlock = await db.profileUnlock.findUnique({
    where: { profileId_deviceId: { profileId, deviceId } },
    select: { unlockedAt: true },
  });
  return unlock !== null && unlock.unlockedAt > unlockCutoff();
}

/** For optional `profileId` arguments: null (no limit) when none is given, otherwise that profile's limit. */
export async function maturityLimitFor(
  db: CachedProfileReader,
  identity: Identity | null,
  profileId: string | null | undefined,
  access: ProfileAccessCache,
): Promise<MaturityRating | null> {
  if (!profileId) return null;
  return (await resolveViewerProfile(db, identity, profileId, access)).maturityLimit;
}
