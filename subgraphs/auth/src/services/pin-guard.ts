// PIN guessing: attempts at a profile's PIN (unlockProfile, and updateProfile's currentPin) are counted per
// profile with the shared rate limits (`pin-profile`, in Redis for every instance, scoped by database). An
// attempt takes its point before the PIN is checked, so requests arriving together can never check more PINs
// than the limit allows; beyond it they are refused with RATE_LIMITED (and `retryAfterSeconds`) unchecked. A
// right PIN clears the count.
import type { RateLimits } from "@watchflixx/common";

export class PinGuard {
  constructor(private readonly limits: RateLimits) {}

  /** Runs `check` (true: the PIN is right) as one counted attempt at this profile's PIN. */
  async attempt(profileId: string, check: () => Promise<boolean>): Promise<boolean> {
    await this.limits.consume("pin-profile", profileId, "wrong PINs for this profile");
    const right = await check();
    if (right) await this.limits.clear("pin-profile", profileId);
    return right;
  }
}
