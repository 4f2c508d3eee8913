// Password guessing: failed sign-ins are counted per account email, in Redis so that every auth instance
// sees the same count. After SIGN_IN_FAILURE_LIMIT failures within the window the email is refused with
// RATE_LIMITED (and `retryAfterSeconds`) until the window ends, before any password is checked; a correct
// password clears the count. Unknown emails are counted exactly like known ones, so the refusal never tells
// whether an account exists. Keys hold a hash of the email, never the address, and of the database the
// accounts live in: environments (or test databases) sharing one Redis never lock each other's accounts.
//
// Redis unreachable: each instance counts in memory instead (rate-limiter-flexible's insurance limiter), so
// signing in keeps working and guessing is still slowed, per instance.
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from "rate-limiter-flexible";
import { RateLimitedError, redisKey } from "@watchflixx/common";

export const SIGN_IN_FAILURE_LIMIT = 10;
export const SIGN_IN_WINDOW_SECONDS = 15 * 60;
// In the environment's Redis namespace (read when a guard is made, after start-up set it).
const keyPrefix = () => redisKey("auth", "sign-in-failures");

export class SignInGuard {
  private constructor(
    private readonly failures: RateLimiterAbstract,
    /** Whose accounts: the database's name (see the top of this file). */
    private readonly scope: string,
  ) {}

  /** Counts in this process only: for a subgraph that was not started with a Redis connection. */
  static inMemory(): SignInGuard {
    return new SignInGuard(new RateLimiterMemory({ keyPrefix: keyPrefix(), points: SIGN_IN_FAILURE_LIMIT, duration: SIGN_IN_WINDOW_SECONDS }), "");
  }

  /** Counts in Redis, shared by every instance serving the accounts of `database`; in memory while Redis is away. */
  static shared(redis: Redis, database: string): SignInGuard {
    return new SignInGuard(
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: keyPrefix(),
        points: SIGN_IN_FAILURE_LIMIT,
        duration: SIGN_IN_WINDOW_SECONDS,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix: keyPrefix(), points: SIGN_IN_FAILURE_LIMIT, duration: SIGN_IN_WINDOW_SECONDS }),
      }),
      database,
    );
  }

  /** Throws RATE_LIMITED while the email has used up its failures. */
  async admit(email: string): Promise<void> {
    const state = await this.failures.get(this.keyOf(email));
    if (state && state.consumedPoints >= SIGN_IN_FAILURE_LIMIT) {
      const retryAfterSeconds = Math.max(1, Math.ceil(state.msBeforeNext / 1000));
      throw new RateLimitedError(`Too many failed sign-in attempts. Try again in ${describeWait(retryAfterSeconds)}.`, retryAfterSeconds);
    }
  }

  async failed(email: string): Promise<void> {
    // Rejects (with the limiter's state) once over the limit: the count is what matters, not the rejection.
    await this.failures.consume(this.keyOf(email)).catch((rejection: unknown) => {
      if (rejection instanceof Error) throw rejection;
    });
  }

  async succeeded(email: string): Promise<void> {
    await this.failures.delete(this.keyOf(email));
  }

  private keyOf(email: string): string {
    return createHash("sha256").update(`${this.scope}\n${email}`).digest("base64url");
  }
}

function describeWait(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return minutes <= 1 ? "a minute" : `${minutes} minutes`;
}
