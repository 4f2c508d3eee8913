// The profile-access cache: what every subgraph needs of a profile to answer a `profileId` (its owner, name, kids
// flag, maturity rating, whether it has a PIN), kept under one key per profile so that the subgraphs of one
// request stop reading the same `profiles` row each (resolveViewerProfile in maturity.ts reads it on a miss).
//
// Auth owns it (write-through): after each committed create, update (PIN changes included) or delete of a
// profile it stores the new facts, or a tombstone. A reader that missed fills the entry from the row it read.
// Both go through one rule, atomic in Redis (OFFER_SCRIPT): an entry is stored only if its `version` (the row's
// optimistic-locking version, bumped by every write) is newer than the stored one, so a slow reader's old row
// never overwrites auth's newer write, and a tombstone (the highest version) is never overwritten by a reader
// that read the row before the delete.
//
// The one remaining risk is auth's Redis write failing after its commit (Redis away at that moment): the old
// entry then lives until its TTL, so PROFILE_ACCESS_TTL_MS bounds how long a change can go unseen. Redis away or
// slow for a reader: it reads PostgreSQL (commands time out quickly; no request fails because of the cache).
//
// Keys: `<namespace>:profile-access:<scope>:<profileId>`, the scope being the database name (as the rate limits':
// test databases sharing one Redis hold the same seeded profile ids). Embedded mode keeps the same entries,
// under the same rule, in its process's memory (bus.ts).
import type { Redis } from "ioredis";
import type { MaturityRating } from "@watchflixx/db";
import { redisKeyIn, redisNamespace } from "./redis-keys.ts";

/** What other subgraphs need of a profile, at its row's `version`. */
export interface ProfileAccessFacts {
  userId: string;
  name: string;
  isKids: boolean;
  maturityRating: MaturityRating;
  hasPin: boolean;
  version: number;
}

/** A `profiles` row's facts as the cache keeps them (auth's write-through and a reader's fill alike). */
export function profileAccessFacts(row: { userId: string; name: string; isKids: boolean; maturityRating: MaturityRating; pinHash: string | null; version: number }): ProfileAccessFacts {
  return { userId: row.userId, name: row.name, isKids: row.isKids, maturityRating: row.maturityRating, hasPin: row.pinHash !== null, version: row.version };
}

/** A deleted profile's entry. */
export const PROFILE_GONE = "gone";
export type ProfileAccessEntry = ProfileAccessFacts | typeof PROFILE_GONE;

export interface ProfileAccessCache {
  /** The stored entry, or null: not stored, or the cache is unavailable (never throws; the caller reads the row). */
  get(profileId: string): Promise<ProfileAccessEntry | null>;
  /** Stores the facts unless the entry holds the same or a newer version. False when the cache could not be written. */
  offer(profileId: string, facts: ProfileAccessFacts): Promise<boolean>;
  /** Marks a deleted profile gone (newer than any version a reader may still offer). False when it could not be written. */
  markGone(profileId: string): Promise<boolean>;
}

/** How long an entry lives: the longest a change can go unseen if auth could not write it after its commit. */
export const PROFILE_ACCESS_TTL_MS = 60_000;
/** Longer than any real row's version (a PostgreSQL integer): no reader's fill outranks a tombstone. */
export const PROFILE_GONE_VERSION = Number.MAX_SAFE_INTEGER;
/** A cache command that takes longer than this is given up: the reader reads PostgreSQL instead. */
export const PROFILE_ACCESS_TIMEOUT_MS = 500;

/** The entry's key for a profile of this scope (the database name). */
export function profileAccessKey(scope: string, profileId: string, namespace = redisNamespace()): string {
  return redisKeyIn(namespace, "profile-access", scope, profileId);
}

// KEYS[1] the entry; ARGV[1] its version, ARGV[2] its facts (JSON; "" for gone), ARGV[3] its TTL in ms.
// Only a newer version is stored: readers' fills and auth's writes may arrive in any order.
const OFFER_SCRIPT = `
local stored = tonumber(redis.call('HGET', KEYS[1], 'version'))
if stored and stored >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'version', ARGV[1], 'facts', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

interface RedisWithOffer extends Redis {
  offerProfileAccess(key: string, version: string, facts: string, ttlMs: string): Promise<number>;
}

function factsValue(facts: ProfileAccessFacts): string {
  const { userId, name, isKids, maturityRating, hasPin } = facts;
  return JSON.stringify({ userId, name, isKids, maturityRating, hasPin });
}

/** The cache in Redis; `redis` should time its commands out (commandTimeout) and queue nothing while offline. */
export function redisProfileAccess(redis: Redis, scope: string, namespace = redisNamespace()): ProfileAccessCache {
  if (!("offerProfileAccess" in redis)) redis.defineCommand("offerProfileAccess", { numberOfKeys: 1, lua: OFFER_SCRIPT });
  const scripted = redis as RedisWithOffer;
  const offer = (profileId: string, version: number, value: string, ttlMs: number) =>
    scripted.offerProfileAccess(profileAccessKey(scope, profileId, namespace), String(version), value, String(ttlMs)).then(
      () => true,
      () => false,
    );
  return {
    async get(profileId) {
      try {
        const [version, facts] = await redis.hmget(profileAccessKey(scope, profileId, namespace), "version", "facts");
        if (typeof version !== "string" || typeof facts !== "string") return null;
        if (facts === "") return PROFILE_GONE;
        return { ...(JSON.parse(facts) as Omit<ProfileAccessFacts, "version">), version: Number(version) };
      } catch {
        return null;
      }
    },
    offer: (profileId, facts) => offer(profileId, facts.version, factsValue(facts), PROFILE_ACCESS_TTL_MS),
    markGone: (profileId) => offer(profileId, PROFILE_GONE_VERSION, "", PROFILE_ACCESS_TTL_MS),
  };
}

/** Embedded mode: the same entries and the same version rule in this process's memory (one per scope). */
export function memoryProfileAccess(now: () => number = Date.now): ProfileAccessCache {
  const entries = new Map<string, { version: number; entry: ProfileAccessEntry; expiresAt: number }>();
  const live = (profileId: string) => {
    const stored = entries.get(profileId);
    if (stored && stored.expiresAt <= now()) {
      entries.delete(profileId);
      return undefined;
    }
    return stored;
  };
  const offer = (profileId: string, version: number, entry: ProfileAccessEntry) => {
    if (entries.size > 10_000) for (const key of [...entries.keys()]) live(key);
    const stored = live(profileId);
    if (!stored || stored.version < version) entries.set(profileId, { version, entry, expiresAt: now() + PROFILE_ACCESS_TTL_MS });
    return Promise.resolve(true);
  };
  return {
    get: async (profileId) => live(profileId)?.entry ?? null,
    offer: (profileId, facts) => offer(profileId, facts.version, { ...facts }),
    markGone: (profileId) => offer(profileId, PROFILE_GONE_VERSION, PROFILE_GONE),
  };
}
