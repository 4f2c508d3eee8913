// Rate limits, one helper for the gateway and every subgraph. Each limit is a named rule (points per window);
// a caller consumes a point BEFORE the work it limits, atomically in Redis (rate-limiter-flexible's INCR with
// expiry), so N concurrent requests never get more than the limit through, and every replica sees the same
// count. Over the limit: RATE_LIMITED with `extensions.retryAfterSeconds`.
//
// Keys are hashed with a scope (the database name: one environment, or one test database), so environments
// and test runs sharing a Redis never share counters. Redis unreachable: each instance counts in memory
// (rate-limiter-flexible's insurance limiter) until it returns.
//
// Defaults are generous for a real household; RATE_LIMITS overrides any of them (see config.ts, README).
import { createHash } from "node:crypto";
import { isIPv6 } from "node:net";
import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { NotFoundError, RateLimitedError } from "./errors.ts";
import { redisKey } from "./redis-keys.ts";

export interface RateLimitRule {
  points: number;
  /** The window, in seconds. */
  seconds: number;
}

/** Every limit, with its default. The key each is counted by is in its name. */
export const RATE_LIMIT_DEFAULTS = {
  /** Gateway: every HTTP request, per client address. */
  "gateway-address": { points: 1200, seconds: 60 },
  /** Gateway: every HTTP request of a signed-in account (any address). */
  "gateway-account": { points: 600, seconds: 60 },
  /** Sign-in attempts per email from one address; a success clears it (the strict guessing stop). */
  "sign-in-email-address": { points: 10, seconds: 15 * 60 },
  /** Sign-in attempts per email from every address but those it signed in from before (the botnet ceiling). */
  "sign-in-email": { points: 100, seconds: 15 * 60 },
  /** Sign-in attempts per address, any email (credential stuffing). */
  "sign-in-address": { points: 100, seconds: 10 * 60 },
  "sign-up-address": { points: 50, seconds: 60 * 60 },
  /** completeDevicePairing with a code that does not exist, per address (a TV polling its own code never counts). */
  "pairing-address": { points: 30, seconds: 10 * 60 },
  /** completeDevicePairing attempts per code (a TV polling every 3 s fits). */
  "pairing-code": { points: 200, seconds: 10 * 60 },
  "party-creation-account": { points: 30, seconds: 60 * 60 },
  /** joinPartyWatch with an invite code that leads nowhere, per account (guessing codes); a join that works is free. */
  "party-invite-account": { points: 20, seconds: 10 * 60 },
  /** startPlayback per profile (of an account). */
  "playback-start-profile": { points: 20, seconds: 60 },
  /** reportProgress (heartbeats, pause, seek, stop) per account, every screen of the household together. */
  "playback-progress-account": { points: 300, seconds: 60 },
  /** unlockProfile / currentPin attempts per profile; a right PIN clears it. */
  "pin-profile": { points: 5, seconds: 15 * 60 },
} as const satisfies Record<string, RateLimitRule>;

export type RateLimitName = keyof typeof RATE_LIMIT_DEFAULTS;
export type RateLimitOverrides = Partial<Record<RateLimitName, RateLimitRule>>;

export const RATE_LIMIT_NAMES = Object.keys(RATE_LIMIT_DEFAULTS) as RateLimitName[];

export function isRateLimitName(name: string): name is RateLimitName {
  return Object.hasOwn(RATE_LIMIT_DEFAULTS, name);
}



/** setTimeout's longest wait (2^31 - 1 ms), in whole seconds. */
const LONGEST_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

export class RateLimits {
  private readonly limiters = new Map<string, RateLimiterAbstract>();

  private constructor(
    private readonly redis: Redis | null,
    private readonly scope: string,
    private readonly overrides: RateLimitOverrides,
  ) {}

  /** Counts in this process only (a service started without Redis, unit tests). */
  static inMemory(overrides: RateLimitOverrides = {}): RateLimits {
    return new RateLimits(null, "", overrides);
  }

  /** Counts in Redis for every instance serving `scope` (the database name); in memory while Redis is away. */
  static shared(redis: Redis, scope: string, overrides: RateLimitOverrides = {}): RateLimits {
    return new RateLimits(redis, scope, overrides);
  }

  rule(name: RateLimitName): RateLimitRule {
    return this.overrides[name] ?? RATE_LIMIT_DEFAULTS[name];
  }

  /**
   * Takes a point from `key`'s allowance under `name`; throws RATE_LIMITED when it is used up (the caller then
   * does nothing). `what` names what was limited in the message ("Too many <what>. Try again in ...").
   */
  async consume(name: RateLimitName, key: string, what = "requests"): Promise<void> {
    try {
      await this.limiter(name).consume(this.keyOf(key), 1);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) throw rateLimited(rejection as RateLimiterRes, what);
      throw rejection;
    }
  }

  /** Gives points back (a sign-in that succeeded does not count against the account's ceiling). */
  async refund(name: RateLimitName, key: string, points = 1): Promise<void> {
    await this.limiter(name).reward(this.keyOf(key), points);
  }

  /**
   * For limits on guessing (codes, ids): the point `consume` took before the look-up (so that guesses arriving
   * together cannot pass the limit) is given back unless `attempt` led nowhere (NOT_FOUND).
   */
  async keepIfNotFound<T>(name: RateLimitName, key: string, attempt: () => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await attempt();
    } catch (error) {
      if (!(error instanceof NotFoundError)) await this.refund(name, key);
      throw error;
    }
    await this.refund(name, key);
    return result;
  }

  /** Forgets `key`'s count under `name`. */
  async clear(name: RateLimitName, key: string): Promise<void> {
    await this.limiter(name).delete(this.keyOf(key));
  }

  /** Remembers `key` under `what` for `seconds` (e.g. an address an account signed in from). */
  async remember(what: string, key: string, seconds: number): Promise<void> {
    // In memory an entry ends by a timer, and Node fires a longer one than ~24.8 days after 1 ms (with a warning).
    const kept = this.redis ? seconds : Math.min(seconds, LONGEST_TIMER_SECONDS);
    await this.memory(what, kept).set(this.keyOf(key), 1, kept);
  }

  async remembers(what: string, key: string): Promise<boolean> {
    return (await this.memory(what, 1).get(this.keyOf(key))) !== null;
  }

  private limiter(name: RateLimitName): RateLimiterAbstract {
    const rule = this.rule(name);
    return this.cached(redisKey("rate", name), rule.points, rule.seconds);
  }

  private memory(what: string, seconds: number): RateLimiterAbstract {
    return this.cached(redisKey("rate-memory", what), 1, seconds);
  }

  private cached(keyPrefix: string, points: number, duration: number): RateLimiterAbstract {
    let limiter = this.limiters.get(keyPrefix);
    if (!limiter) {
      const memory = new RateLimiterMemory({ keyPrefix, points, duration });
      limiter = this.redis ? new RateLimiterRedis({ storeClient: this.redis, keyPrefix, points, duration, insuranceLimiter: memory }) : memory;
      this.limiters.set(keyPrefix, limiter);
    }
    return limiter;
  }

  /** Keys hold a hash of the scope and the key (an email, an address), never the value itself. */
  private keyOf(key: string): string {
    return createHash("sha256").update(`${this.scope}\n${key}`).digest("base64url");
  }
}

export function rateLimited(state: { msBeforeNext: number }, what = "requests"): RateLimitedError {
  const retryAfterSeconds = Math.max(1, Math.ceil(state.msBeforeNext / 1000));
  return new RateLimitedError(`Too many ${what}. Try again in ${describeWait(retryAfterSeconds)}.`, retryAfterSeconds);
}

function describeWait(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? "1 second" : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? "a minute" : `${minutes} minutes`;
}

/**
 * What a per-address limit counts by: an IPv4 address as it is, an IPv6 address by its /64 network (one
 * subscriber line or host usually holds a whole /64: counting single addresses there would limit nothing).
 */
export function addressBucket(address: string): string {
  if (!isIPv6(address)) return address;
  const [head = "", tail] = address.split("%")[0]!.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => group.toLowerCase().replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

/** Parses RATE_LIMITS: `name=points/seconds` pairs, comma-separated (e.g. `sign-up-address=5/3600`). */
export function parseRateLimitOverrides(value: string): RateLimitOverrides | string {
  const overrides: RateLimitOverrides = {};
  for (const item of value.split(",").map((part) => part.trim()).filter(Boolean)) {
    const match = /^([a-z-]+)=(\d+)\/(\d+)$/.exec(item);
    if (!match) return `has "${item}": write name=points/seconds, e.g. sign-up-address=5/3600`;
    const [, name = "", points = "", seconds = ""] = match;
    if (!isRateLimitName(name)) return `names an unknown limit "${name}" (known: ${RATE_LIMIT_NAMES.join(", ")})`;
    if (Number(points) < 1 || Number(seconds) < 1) return `has "${item}": points and seconds must be at least 1`;
    overrides[name] = { points: Number(points), seconds: Number(seconds) };
  }
  return overrides;
}
