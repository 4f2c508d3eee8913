// Password guessing, stopped without handing a stranger the power to lock the owner out. Every sign-in attempt
// takes its points BEFORE the password is checked (atomically in Redis, rate-limits.ts), so however many
// attempts arrive at once, no more than the limit are ever checked:
//
// - per (email, client address), strict: `sign-in-email-address`, 10 per 15 minutes. A guesser at one address
//   gets 10 tries at an account; the owner at another address is not affected. A correct password clears it.
// - per email, from addresses the account has not signed in from before: `sign-in-email`, 100 per 15 minutes.
//   This is the ceiling for a guesser spread over many addresses. When a crowd of addresses uses it up, the
//   owner still signs in from any address they signed in from in the last 30 days (remembered on success); only a
//   new address waits for the window. A successful sign-in gives its point back.
// - per client address, any email: `sign-in-address`, 100 per 10 minutes (credential stuffing: one address
//   trying many accounts).
//
// Refusals are RATE_LIMITED with `retryAfterSeconds`. Unknown emails are counted exactly like known ones, so a
// refusal never tells whether an account exists. Keys hold hashes of the scope (the accounts' database), email
// and address, never the values. Redis unreachable: counted per instance, in memory.
import { addressBucket, type RateLimits } from "@watchflixx/common";

/** How long an address an account signed in from counts as the owner's. */
const KNOWN_ADDRESS_SECONDS = 30 * 24 * 60 * 60;
const KNOWN_ADDRESSES = "sign-in-known-address";
const WHAT = "sign-in attempts";

export interface SignInAttempt {
  email: string;
  clientAddress: string;
  /** Whether the attempt took a point from the email's ceiling (given back on success). */
  countedAgainstEmail: boolean;
}

export class SignInGuard {
  constructor(private readonly limits: RateLimits) {}

  /** Counts the attempt before any password is checked; throws RATE_LIMITED when one of the limits is used up. */
  async admit(email: string, address: string): Promise<SignInAttempt> {
    const clientAddress = addressBucket(address);
    const pair = `${email}\n${clientAddress}`;
    await this.limits.consume("sign-in-address", clientAddress, WHAT);
    await this.limits.consume("sign-in-email-address", pair, WHAT);
    const known = await this.limits.remembers(KNOWN_ADDRESSES, pair);
    if (!known) await this.limits.consume("sign-in-email", email, WHAT);
    return { email, clientAddress, countedAgainstEmail: !known };
  }

  /** The owner got in: their address's count starts again, and the address is theirs for KNOWN_ADDRESS_SECONDS. */
  async succeeded(attempt: SignInAttempt): Promise<void> {
    const pair = `${attempt.email}\n${attempt.clientAddress}`;
    await this.limits.clear("sign-in-email-address", pair);
    await this.limits.remember(KNOWN_ADDRESSES, pair, KNOWN_ADDRESS_SECONDS);
    if (attempt.countedAgainstEmail) await this.limits.refund("sign-in-email", attempt.email);
  }
}
