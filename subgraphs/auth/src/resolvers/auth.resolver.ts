// Sign-up, sign-in, refresh-token rotation, sign-out, and `me`.
import { Arg, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { requireIdentity } from "@watchflixx/common";
import { AuthPayload } from "../entities/auth-payload.ts";
import { User } from "../entities/user.ts";
import { SignInInput, SignUpInput } from "../inputs/auth.inputs.ts";
import type { AccountService } from "../services/account.service.ts";
import type { UserRow } from "../services/batch-queries.ts";
import type { DirectoryService } from "../services/directory.service.ts";
import type { AuthPayloadData, SessionService } from "../services/session.service.ts";
import { readerOf, type AuthContext } from "./context.ts";

@Resolver()
export class AuthResolver {
  constructor(
    private readonly accounts: AccountService,
    private readonly sessions: SessionService,
    private readonly directory: DirectoryService,
  ) {}

  @Query(() => User, { nullable: true, description: "The signed-in account. UNAUTHENTICATED without a token." })
  me(@Ctx() ctx: AuthContext): Promise<UserRow> {
    return this.directory.me(readerOf(ctx));
  }

  @Mutation(() => AuthPayload, { description: "Creates an account (BAD_USER_INPUT for invalid input, CONFLICT for a taken email) and signs it in." })
  signUp(@Arg("input", () => SignUpInput) input: SignUpInput, @Ctx() ctx: AuthContext): Promise<AuthPayloadData> {
    return this.accounts.signUp(input, ctx.clientAddress);
  }

  @Mutation(() => AuthPayload, { description: "Signs in and records the device. Wrong email or password: UNAUTHENTICATED." })
  signIn(@Arg("input", () => SignInInput) input: SignInInput, @Ctx() ctx: AuthContext): Promise<AuthPayloadData> {
    return this.accounts.signIn(input, ctx.clientAddress);
  }

  @Mutation(() => AuthPayload, {
    description: "Exchanges a refresh token for a new pair. Each works once: reusing one signs its session out everywhere it was copied to.",
  })
  refreshToken(@Arg("refreshToken", () => String) refreshToken: string): Promise<AuthPayloadData> {
    return this.sessions.refresh(refreshToken);
  }

  @Mutation(() => Boolean, {
    description: "Ends this device's session (its refresh tokens stop working). True when something was revoked; idempotent.",
  })
  signOut(@Ctx() ctx: AuthContext): Promise<boolean> {
    return this.sessions.signOut(requireIdentity(ctx));
  }
}
