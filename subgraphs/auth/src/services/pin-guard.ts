// PIN guessing: attempts at a profile's PIN (unlockProfile, and updateProfile's currentPin) are counted per
// profile in Redis, so every auth instance sees the same count. An attempt takes its point before the PIN is
// checked (one atomic increment), so requests arriving together can never check more than PIN_ATTEMPT_LIMIT
// PINs in a window; beyond it they are refused with RATE_LIMITED (and `retryAfterSeconds`) unchecked. A right
// PIN clears the count. Keys hold a hash of the database's name and the profile's id (as sign-in-guard.ts
// does): environments or test databases sharing one Redis never lock each other's profiles.
//
// Redis unreachable: each instance counts in memory instead (rate-limiter-flexible's insurance limiter).
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { RateLimitedError } from "@watchflixx/common";

export const PIN_ATTEMPT_LIMIT = 5;
export const PIN_WINDOW_SECONDS = 15 * 60;
const KEY_PREFIX = "watchflixx:auth:pin-attempts";

export class PinGuard {
  private constructor(
    private readonly attempts: RateLimiterAbstract,
    /** Whose profiles: the database's name. */
    private readonly scope: string,
  ) {}

  /** Counts in this process only: for a subgraph that was not started with a Redis connection. */
  static inMemory(): PinGuard {
    return new PinGuard(new RateLimiterMemory({ keyPrefix: KEY_PREFIX, points: PIN_ATTEMPT_LIMIT, duration: PIN_WINDOW_SECONDS }), "");
  }

  /** Counts in Redis, shared by every instance serving the profiles of `database`; in memory while Redis is away. */
  static shared(redis: Redis, database: string): PinGuard {
    return new PinGuard(
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: KEY_PREFIX,
        points: PIN_ATTEMPT_LIMIT,
        duration: PIN_WINDOW_SECONDS,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix: KEY_PREFIX, points: PIN_ATTEMPT_LIMIT, duration: PIN_WINDOW_SECONDS }),
      }),
      database,
    );
  }

  /**
   * Runs `check` (true: the PIN is right) as one counted attempt at this profile's PIN. RATE_LIMITED, without
   * checking, once the profile's attempts are used up; a right PIN clears the count.
   */
  async attempt(profileId: string, check: () => Promise<boolean>): Promise<boolean> {
    const key = this.keyOf(profileId);
    try {
      await this.attempts.consume(key);
    } catch (rejection: unknown) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new RateLimitedError(`Too many wrong PINs for this profile. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`, retryAfterSeconds);
    }
    const right = await check();
    if (right) await this.attempts.delete(key);
    return right;
  }

  private keyOf(profileId: string): string {
    return createHash("sha256").update(`${this.scope}\n${profileId}`).digest("base64url");
  }
}
