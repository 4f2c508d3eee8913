// The entity cache's two levels: a small in-process LRU in front of Redis, which every gateway replica shares.
// Entries carry tags (the entities they hold, analyze.ts `tagsOf`); an invalidation drops every entry of a tag
// in both levels: in Redis through a set per tag, `<namespace>:entity-cache:tag:<tag>`, listing its entry keys.
//
// Redis being away never fails a request: reads miss, writes are skipped (the caller checks `usable()`).
// A fetch that began before an invalidation of one of its tags does not store its (maybe stale) answer.
//
// An account's own entries (PRIVATE hints with a maxAge: its progress, watchlist, profile) live in Redis only,
// stamped with the account's generation, `<namespace>:entity-cache:account:<userId>`, which every write of the
// account (a mutation through any replica, or its events) replaces with a new value: read in the same MGET as the entries, an
// entry of an older generation is a miss. No replica can keep a copy the others cannot drop, and a fetch that
// began before the write stores under the generation it read, which is already stale.
import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { LRUCache } from "lru-cache";
import { redisKey } from "@watchflixx/common";

export interface CachedEntry {
  /** The cached value (an entity's data, or a root fetch's `data`). */
  value: unknown;
  tags: string[];
  /** A whole answer's Cache-Control max-age, as the full pipeline computed it. */
  maxAge?: number;
}

/** An entry as Redis holds it: with its lifetime, so that the LRU copy expires with it. */
interface StoredEntry {
  entry: CachedEntry;
  ttlMs: number;
  at: number;
  /** An account's entry: the account's generation when its fetch began. */
  generation?: string;
}

/** Whose entries these are, and (to store) the generation read when the fetch began. */
export interface AccountScope {
  userId: string;
  generation?: string;
}

/** How long an account's generation outlives its last write: far longer than any entry stamped with it. */
const GENERATION_TTL_SECONDS = 24 * 60 * 60;

export interface EntityStoreOptions {
  redis: Redis;
  /** Entries kept in process (default 5,000). */
  maxLocalEntries?: number;
  /** Key prefix below the namespace (tests give each run its own). Default `entity-cache`. */
  prefix?: string;
}

// Drops the entries of one tag and the tag's set, atomically.
const DROP_TAG = `
local keys = redis.call('SMEMBERS', KEYS[1])
for i = 1, #keys, 500 do
  redis.call('DEL', unpack(keys, i, math.min(i + 499, #keys)))
end
redis.call('DEL', KEYS[1])
return #keys`;

export class EntityStore {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #local: LRUCache<string, CachedEntry>;
  /** tag → local keys, kept in step with the LRU (dispose). */
  readonly #localTags = new Map<string, Set<string>>();
  /** tag → sequence number of its last invalidation (pruned), for the fetch-began-before check. */
  readonly #invalidatedAt = new Map<string, number>();
  #sequence = 0;
  /** Fetches begun before this sequence never store (marks pruned, or the LRU cleared). */
  #floor = 0;

  constructor(options: EntityStoreOptions) {
    this.#redis = options.redis;
    this.#prefix = options.prefix ?? "entity-cache";
    this.#local = new LRUCache<string, CachedEntry>({
      max: options.maxLocalEntries ?? 5_000,
      ttlAutopurge: false,
      dispose: (entry, key) => {
        for (const tag of entry.tags) {
          const keys = this.#localTags.get(tag);
          keys?.delete(key);
          if (keys?.size === 0) this.#localTags.delete(tag);
        }
      },
    });
  }

  /** The Redis key of an entry (its parts already hashed by the caller). */
  entryKey(hash: string): string {
    return redisKey(this.#prefix, "entry", hash);
  }

  #tagKey(tag: string): string {
    return redisKey(this.#prefix, "tag", tag);
  }

  #generationKey(userId: string): string {
    return redisKey(this.#prefix, "account", userId);
  }

  /** Redis answers: reading and writing make sense. */
  usable(): boolean {
    return this.#redis.status === "ready";
  }

  /** Now, as an invalidation sequence number: give it back to `setMany` for the stale-write check. */
  begin(): number {
    return this.#sequence;
  }

  /**
   * Entries by key (undefined: missing): the LRU first, then one MGET for the rest (copied into the LRU). With
   * an account: Redis only, in the same MGET as the account's generation, which `scope.generation` receives
   * (give the scope back to setMany).
   */
  async getMany(keys: string[], account?: AccountScope): Promise<(CachedEntry | undefined)[]> {
    const found: (CachedEntry | undefined)[] = keys.map((key) => (account ? undefined : this.#local.get(key)));
    const missing = keys.flatMap((key, index) => (found[index] ? [] : [index]));
    if (missing.length === 0 || !this.usable()) return found;
    const sequence = this.#sequence;
    let values: (string | null)[];
    try {
      const asked = missing.map((index) => keys[index] as string);
      values = await this.#redis.mget(account ? [this.#generationKey(account.userId), ...asked] : asked);
    } catch {
      return found;
    }
    if (account) account.generation = values.shift() ?? "0";
    for (const [position, index] of missing.entries()) {
      const raw = values[position];
      if (!raw) continue;
      const key = keys[index] as string;
      const { entry, ttlMs, at, generation } = JSON.parse(raw) as StoredEntry;
      if (account) {
        if (generation === account.generation) found[index] = entry;
        continue;
      }
      found[index] = entry;
      const left = ttlMs - (Date.now() - at);
      if (left > 0 && this.#fresh(entry.tags, sequence)) this.#setLocal(key, entry, left);
    }
    return found;
  }

  /** The account wrote something: every entry of it stored so far (on any replica) is stale. */
  async bumpGeneration(userId: string): Promise<void> {
    if (!this.usable()) return;
    try {
      // A value never used before (not a counter): one command, and no reuse should the key ever expire.
      await this.#redis.set(this.#generationKey(userId), `${Date.now().toString(36)}.${randomBytes(6).toString("base64url")}`, "EX", GENERATION_TTL_SECONDS);
    } catch {
      // Redis went away: the listener's gap makes the cache unused until it is back.
    }
  }

  #fresh(tags: string[], since: number): boolean {
    return since >= this.#floor && tags.every((tag) => (this.#invalidatedAt.get(tag) ?? -1) <= since);
  }

  #setLocal(key: string, entry: CachedEntry, ttlMs: number): void {
    this.#local.set(key, entry, { ttl: ttlMs });
    for (const tag of entry.tags) {
      let keys = this.#localTags.get(tag);
      if (!keys) this.#localTags.set(tag, (keys = new Set()));
      keys.add(key);
    }
  }

  /**
   * Stores entries fetched since `since` (begin()), except those a later invalidation touched. An account's
   * entries (the scope getMany filled in) go to Redis only, stamped with the generation read then.
   */
  async setMany(entries: { key: string; entry: CachedEntry; ttlSeconds: number }[], since: number, account?: AccountScope): Promise<void> {
    const kept = entries.filter(({ entry }) => this.#fresh(entry.tags, since));
    if (kept.length === 0 || !this.usable() || (account && account.generation === undefined)) return;
    const pipeline = this.#redis.pipeline();
    const at = Date.now();
    for (const { key, entry, ttlSeconds } of kept) {
      if (!account) this.#setLocal(key, entry, ttlSeconds * 1000);
      const stored: StoredEntry = { entry, ttlMs: ttlSeconds * 1000, at, ...(account ? { generation: account.generation } : {}) };
      pipeline.set(key, JSON.stringify(stored), "EX", ttlSeconds);
      for (const tag of entry.tags) {
        pipeline.sadd(this.#tagKey(tag), key);
        pipeline.expire(this.#tagKey(tag), ttlSeconds, "GT");
        pipeline.expire(this.#tagKey(tag), ttlSeconds, "NX");
      }
    }
    try {
      await pipeline.exec();
    } catch {
      // Redis went away meanwhile: the LRU keeps them until an invalidation or clear().
    }
  }

  /** Drops every entry of these tags, here and in Redis (every replica calls it for each event it reads). */
  async invalidate(tags: string[]): Promise<number> {
    this.#sequence += 1;
    const now = this.#sequence;
    let dropped = 0;
    for (const tag of tags) {
      this.#invalidatedAt.set(tag, now);
      for (const key of this.#localTags.get(tag) ?? []) if (this.#local.delete(key)) dropped += 1;
    }
    this.#prune();
    if (this.usable() && tags.length > 0) {
      const pipeline = this.#redis.pipeline();
      for (const tag of tags) pipeline.eval(DROP_TAG, 1, this.#tagKey(tag));
      try {
        for (const [, result] of (await pipeline.exec()) ?? []) dropped += Number(result ?? 0);
      } catch {
        // Redis is away: what it holds is dropped when the events are read again (invalidation.ts).
      }
    }
    return dropped;
  }

  /** Forgets the in-process level (when events may have been missed: Redis away). */
  clearLocal(): void {
    this.#sequence += 1;
    this.#floor = this.#sequence;
    this.#local.clear();
  }

  // Invalidation marks are needed only while a fetch that began before them may still store: keep the last 10,000.
  #prune(): void {
    if (this.#invalidatedAt.size <= 10_000) return;
    this.#floor = this.#sequence;
    for (const [tag] of this.#invalidatedAt) {
      this.#invalidatedAt.delete(tag);
      if (this.#invalidatedAt.size <= 5_000) break;
    }
  }

  stats(): { localEntries: number } {
    return { localEntries: this.#local.size };
  }
}
