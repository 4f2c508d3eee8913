// Invalidation by the services' own events: each gateway replica reads the event streams itself (XREAD, not a
// consumer group: every replica must see every event) and drops the entries each event touches.
//
// At start it reads back one maxAge of history, so entries stored in Redis before this replica (or while no
// replica ran) are dropped if an event touched them since. While Redis is away the cache is not used at all
// (`live()` false) and the in-process level is forgotten; once back, reading resumes where it stopped.
import type { Redis } from "ioredis";
import type { Logger } from "@watchflixx/common";
import { redisKey } from "@watchflixx/common";

/** One stream entry, as the relay writes it (packages/common/src/events/streams.ts). */
export interface StreamEvent {
  type: string;
  aggregateId: string;
  payload: Record<string, unknown>;
}

/** The streams the cache listens to (aggregates) and what each event type drops. */
export const INVALIDATING_STREAMS = ["content", "profile"] as const;

const str = (value: unknown): string | null => (typeof value === "string" && value.length > 0 ? value : null);

export interface Touched {
  tags: string[];
  /** Profiles whose maturity limit may have changed. */
  profiles: string[];
  /** Accounts whose own entries are stale (store.ts generations). */
  accounts: string[];
}

/**
 * What an event touches: tags (analyze.ts `tagsOf`: `<subgraph>:<Type>:<id>`, `<subgraph>:list`), profiles
 * whose maturity limit may have changed, accounts whose own data changed.
 */
export function tagsTouchedBy(event: StreamEvent): Touched {
  const contentId = str(event.payload.contentId) ?? event.aggregateId;
  const touched = (tags: string[], profiles: string[] = [], accounts: string[] = []): Touched => ({ tags, profiles, accounts });
  switch (event.type) {
    case "ContentUpdated":
    case "ContentPublished":
    case "ContentUnpublished": {
      // The title's own fields (content), its rental price (payment), lists it may enter or leave (browse and
      // search in content, trending in analytics), and the accounts' lists that show its title and poster
      // (streaming's, by @provides); a season or episode edit names it.
      const tags = [`content:Content:${contentId}`, `payment:Content:${contentId}`, `streaming:Content:${contentId}`, "content:list", "analytics:list"];
      const seasonId = str(event.payload.seasonId);
      const episodeId = str(event.payload.episodeId);
      if (seasonId) tags.push(`content:Season:${seasonId}`);
      if (episodeId) tags.push(`content:Episode:${episodeId}`);
      return touched(tags);
    }
    case "EpisodeAdded": {
      // Its series, and the resume points that may now lead to it (streaming's next episode after a finished one).
      const tags = [`content:Content:${contentId}`, `streaming:Content:${contentId}`];
      const seasonId = str(event.payload.seasonId);
      if (seasonId) tags.push(`content:Season:${seasonId}`);
      return touched(tags);
    }
    case "ContentRated":
      // Average, count and reviews are the streaming subgraph's.
      return touched([`streaming:Content:${contentId}`]);
    case "ProfileUpdated":
    case "ProfileDeleted": {
      const userId = str(event.payload.userId);
      return touched([], [str(event.payload.profileId) ?? event.aggregateId], userId ? [userId] : []);
    }
    default:
      return touched([]);
  }
}

export interface InvalidationListenerOptions {
  redis: Redis;
  logger: Logger;
  /** How far back to read at start (the longest maxAge), ms. */
  historyMs: number;
  /** Redis namespace's stream keys (default: this process's). */
  streamKey?: (aggregate: string) => string;
  /** The events of one read, in order (up to 500 while catching up: applied together, one Redis round trip). */
  onEvents(events: StreamEvent[]): Promise<void>;
  /** Redis went away or came back: the in-process level may have missed events. */
  onGap(): void;
}

export interface InvalidationListener {
  /** Every event up to (about) now has been applied, and Redis answers. */
  live(): boolean;
  stop(): Promise<void>;
}

function fieldsOf(entry: string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < entry.length; i += 2) fields[entry[i] as string] = entry[i + 1] as string;
  return fields;
}

export function startInvalidationListener(options: InvalidationListenerOptions): InvalidationListener {
  const { redis, logger } = options;
  const streamKey = options.streamKey ?? ((aggregate: string) => redisKey("events", aggregate));
  const keys = INVALIDATING_STREAMS.map(streamKey);
  const from = `${Math.max(0, Date.now() - options.historyMs)}-0`;
  const lastIds = keys.map(() => from);
  let caughtUp = false;
  let stopped = false;

  redis.on("close", () => {
    if (caughtUp) options.onGap();
    caughtUp = false;
  });

  const loop = (async () => {
    while (!stopped) {
      try {
        // Catching up: read without blocking until nothing is left; then block for new entries.
        const reply = (await (caughtUp
          ? redis.xread("COUNT", 500, "BLOCK", 2_000, "STREAMS", ...keys, ...lastIds)
          : redis.xread("COUNT", 500, "STREAMS", ...keys, ...lastIds))) as [string, [string, string[]][]][] | null;
        const events: StreamEvent[] = [];
        for (const [key, entries] of reply ?? []) {
          const index = keys.indexOf(key);
          for (const [id, raw] of entries) {
            lastIds[index] = id;
            const fields = fieldsOf(raw);
            let payload: Record<string, unknown> = {};
            try {
              payload = JSON.parse(fields.payload ?? "{}") as Record<string, unknown>;
            } catch {
              // A payload that is not JSON still has its type and aggregate.
            }
            events.push({ type: fields.type ?? "", aggregateId: fields.aggregateId ?? "", payload });
          }
        }
        if (events.length > 0) await options.onEvents(events);
        if (!caughtUp && events.length < 500) {
          caughtUp = true;
          options.onGap(); // what the LRU held before catching up may predate events just applied
        }
      } catch (error) {
        if (stopped) break;
        if (caughtUp) options.onGap();
        caughtUp = false;
        logger.debug(`entity cache: event stream unavailable (${error instanceof Error ? error.message : String(error)})`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  })();

  return {
    live: () => caughtUp && redis.status === "ready",
    async stop() {
      stopped = true;
      redis.disconnect();
      await loop;
    },
  };
}
