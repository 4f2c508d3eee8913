// Sign-up, sign-in, refresh-token rotation, sign-out, and `me`.
import { Arg, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { UnauthenticatedError, requireIdentity } from "@watchflixx/common";
import { AuthPayload } from "../entities/auth-payload.ts";
import { User, type UserRow } from "../entities/user.ts";
import { SignInInput, SignUpInput } from "../inputs/auth.inputs.ts";
import { AccountService } from "../services/account.service.ts";
import { SessionService, type AuthPayloadData } from "../services/session.service.ts";
import type { AuthSettings } from "../settings.ts";
import type { AuthContext } from "./context.ts";

@Resolver()
export class AuthResolver {
  constructor(private readonly settings: AuthSettings) {}

  @Query(() => User, { nullable: true, description: "The signed-in account. UNAUTHENTICATED without a token." })
  async me(@Ctx() ctx: AuthContext): Promise<UserRow> {
    const identity = requireIdentity(ctx);
    const user = await ctx.loaders.user.load(identity.userId);
    if (!user) throw new UnauthenticatedError("This account no longer exists.");
    return user;
  }

  @Mutation(() => AuthPayload, { description: "Creates an account (BAD_USER_INPUT for invalid input, CONFLICT for a taken email) and signs it in." })
  signUp(@Arg("input", () => SignUpInput) input: SignUpInput, @Ctx() ctx: AuthContext): Promise<AuthPayloadData> {
    return new AccountService(ctx.db, this.settings).signUp(input, ctx);
  }

  @Mutation(() => AuthPayload, { description: "Signs in and records the device. Wrong email or password: UNAUTHENTICATED." })
  signIn(@Arg("input", () => SignInInput) input: SignInInput, @Ctx() ctx: AuthContext): Promise<AuthPayloadData> {
    return new AccountService(ctx.db, this.settings).signIn(input, ctx);
  }

  @Mutation(() => AuthPayload, {
    description: "Exchanges a refresh token for a new pair. Each works once: reusing one signs its session out everywhere it was copied to.",
  })
  refreshToken(@Arg("refreshToken", () => String) refreshToken: string, @Ctx() ctx: AuthContext): Promise<AuthPayloadData> {
    return new SessionService(ctx.db, this.settings).refresh(refreshToken);
  }

  @Mutation(() => Boolean, {
    description: "Ends this device's session (its refresh tokens stop working). True when something was revoked; idempotent.",
  })
  signOut(@Ctx() ctx: AuthContext): Promise<boolean> {
    return new SessionService(ctx.db, this.settings).signOut(requireIdentity(ctx));
  }
}
