// Accounts: sign-up and sign-in. Each creates a Device and starts a refresh-token family for it, in the same
// transaction as the rows it writes (and the UserCreated event).
import { addressBucket, ConflictError, UnauthenticatedError, recordEvent, translateDatabaseError, type RateLimits } from "@watchflixx/common";
import { Prisma, hashPassword, passwordNeedsRehash, verifyPassword, type PrismaClient } from "@watchflixx/db";
import { validateSignIn, validateSignUp, type Credentials, type NewAccount } from "./account-values.ts";
import { USER_COLUMNS } from "./batch-queries.ts";
import { storeRefreshToken, type AuthPayloadData, type SessionService } from "./session.service.ts";
import { SignInGuard } from "./sign-in-guard.ts";

const INVALID_CREDENTIALS = "Invalid email or password.";

export class AccountService {
  private readonly guard: SignInGuard;
  /** Verified against when the email is unknown, so that a wrong email takes as long as a wrong password. */
  #decoyHash: Promise<string> | undefined;

  constructor(
    private readonly db: PrismaClient,
    private readonly sessions: SessionService,
    private readonly rateLimits: RateLimits,
  ) {
    this.guard = new SignInGuard(rateLimits);
  }

  /** RATE_LIMITED after `sign-up-address` sign-ups from one address (invalid input does not count). */
  async signUp(account: NewAccount, clientAddress: string): Promise<AuthPayloadData> {
    const valid = validateSignUp(account);
    await this.rateLimits.consume("sign-up-address", addressBucket(clientAddress), "sign-ups from this address");
    const passwordHash = await hashPassword(valid.password);
    try {
      const { user, deviceId, refresh } = await this.db.$transaction(async (tx) => {
        const user = await tx.user.create({
          data: { email: valid.email, passwordHash, name: valid.name, settings: { create: {} } },
          select: USER_COLUMNS,
        });
        const device = await tx.device.create({ data: { userId: user.id, ...valid.device }, select: { id: true } });
        const refresh = await storeRefreshToken(tx, { userId: user.id, deviceId: device.id });
        await recordEvent(tx, {
          eventType: "UserCreated",
          service: "auth",
          aggregateType: "user",
          aggregateId: user.id,
          payload: { userId: user.id, email: user.email, name: user.name, createdAt: user.createdAt.toISOString() },
        });
        return { user, deviceId: device.id, refresh };
      });
      return this.sessions.payload(user, deviceId, refresh);
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
        throw new ConflictError("An account with this email already exists.");
      }
      return translateDatabaseError(error, "Account");
    }
  }

  /** Wrong email and wrong password are the same UNAUTHENTICATED answer; too many attempts, RATE_LIMITED (sign-in-guard.ts). */
  async signIn(credentials: Credentials, clientAddress: string): Promise<AuthPayloadData> {
    const valid = validateSignIn(credentials);
    const attempt = await this.guard.admit(valid.email, clientAddress);
    const account = await this.db.user.findUnique({
      where: { email: valid.email },
      select: { ...USER_COLUMNS, passwordHash: true },
    });
    const matches = await verifyPassword(valid.password, account?.passwordHash ?? (await this.decoy()));
    if (!account || !matches) throw new UnauthenticatedError(INVALID_CREDENTIALS);
    await this.guard.succeeded(attempt);
    const { passwordHash: storedHash, ...user } = account;
    const newHash = passwordNeedsRehash(storedHash) ? await hashPassword(valid.password) : null;
    const { deviceId, refresh } = await this.db.$transaction(async (tx) => {
      if (newHash) await tx.user.update({ where: { id: user.id }, data: { passwordHash: newHash, version: { increment: 1 } } });
      const device = await tx.device.create({ data: { userId: user.id, ...valid.device }, select: { id: true } });
      const refresh = await storeRefreshToken(tx, { userId: user.id, deviceId: device.id });
      return { deviceId: device.id, refresh };
    });
    return this.sessions.payload(user, deviceId, refresh);
  }

  private decoy(): Promise<string> {
    this.#decoyHash ??= hashPassword("decoy-password-for-unknown-emails");
    return this.#decoyHash;
  }
}
