import { Directive, Field, ObjectType } from "type-graphql";
import { DateTimeScalar, PRIVATE_HINT } from "@watchflixx/common";
import type { UserRow } from "../services/batch-queries.ts";
import { User } from "./user.ts";

@Directive(PRIVATE_HINT)
@ObjectType("AuthPayload", { description: "A new session: a 15-minute access token and a 30-day, single-use refresh token." })
export class AuthPayload {
  @Field(() => String, { description: "Send as `Authorization: Bearer <accessToken>`. Lives 15 minutes." })
  accessToken!: string;

  @Field(() => DateTimeScalar, { description: "When accessToken stops working." })
  accessTokenExpiresAt!: Date;

  @Field(() => String, { description: "Exchange with refreshToken(refreshToken:) for a new pair. Works once; lives 30 days." })
  refreshToken!: string;

  @Field(() => DateTimeScalar)
  refreshTokenExpiresAt!: Date;

  @Field(() => User)
  user!: UserRow;
}
