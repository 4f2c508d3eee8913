// Accounts: sign-up and sign-in. Each creates a Device and starts a refresh-token family for it, in the same
// transaction as the rows it writes (and the UserCreated event).
import { addressBucket, ConflictError, UnauthenticatedError, recordEvent, translateDatabaseError, type RateLimits } from "@watchflixx/common";
import { Prisma, hashPassword, passwordNeedsRehash, verifyPassword, type PrismaClient } from "@watchflixx/db";
import { validateSignIn, validateSignUp, type SignInInput, type SignUpInput } from "../inputs/auth.inputs.ts";
import { USER_COLUMNS } from "../loaders.ts";
import type { AuthSettings } from "../settings.ts";
import { SessionService, storeRefreshToken, type AuthPayloadData } from "./session.service.ts";
import { SignInGuard } from "./sign-in-guard.ts";

/** Where an anonymous request comes from, and the limits it counts against (a resolver's context has both). */
export interface RequestOrigin {
  clientAddress: string;
  rateLimits: RateLimits;
}

const INVALID_CREDENTIALS = "Invalid email or password.";

/** Verified against when the email is unknown, so that a wrong email takes as long as a wrong password. */
let decoyHash: Promise<string> | undefined;
function decoy(): Promise<string> {
  decoyHash ??= hashPassword("decoy-password-for-unknown-emails");
  return decoyHash;
}

export class AccountService {
  private readonly sessions: SessionService;

  constructor(
    private readonly db: PrismaClient,
    private readonly settings: AuthSettings,
  ) {
    this.sessions = new SessionService(db, settings);
  }

  /** RATE_LIMITED after `sign-up-address` sign-ups from one address (invalid input does not count). */
  async signUp(input: SignUpInput, origin: RequestOrigin): Promise<AuthPayloadData> {
    const valid = validateSignUp(input);
    await origin.rateLimits.consume("sign-up-address", addressBucket(origin.clientAddress), "sign-ups from this address");
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
  async signIn(input: SignInInput, origin: RequestOrigin): Promise<AuthPayloadData> {
    const valid = validateSignIn(input);
    const guard = new SignInGuard(origin.rateLimits);
    const attempt = await guard.admit(valid.email, origin.clientAddress);
    const account = await this.db.user.findUnique({
      where: { email: valid.email },
      select: { ...USER_COLUMNS, passwordHash: true },
    });
    const matches = await verifyPassword(valid.password, account?.passwordHash ?? (await decoy()));
    if (!account || !matches) throw new UnauthenticatedError(INVALID_CREDENTIALS);
    await guard.succeeded(attempt);
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
}
