// A viewer profile. Public fields (id, name, avatarUrl) answer for any profile, because other subgraphs show
// strangers' profiles (review authors, party members); every other field is answered only to the owning
// account and is nullable so that a stranger's request gets null plus a FORBIDDEN error for that field alone.
import { Directive, Field, ID, Int, ObjectType } from "type-graphql";
import { DateTimeScalar, MaturityRating, PER_ACCOUNT_HINT } from "@watchflixx/common";

@Directive('@key(fields: "id")')
@Directive(PER_ACCOUNT_HINT)
@ObjectType("Profile", {
  description:
    "A viewer profile. id, name and avatarUrl are public; the other fields answer only to the owning account (null with FORBIDDEN otherwise).",
})
export class Profile {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  avatarUrl!: string | null;

  // Owner-only fields: declared here for the schema, answered by ProfileResolver's field resolvers.
  @Field(() => Boolean, { nullable: true, description: "Owner only." })
  isKids?: boolean | null;

  @Field(() => MaturityRating, {
    nullable: true,
    description: "Owner only. The highest rating this profile may watch (never above PG for a kids profile).",
  })
  maturityRating?: MaturityRating | null;

  @Field(() => Boolean, { nullable: true, description: "Owner only. Whether a PIN protects this profile." })
  hasPin?: boolean | null;

  @Field(() => Int, { nullable: true, description: "Owner only. Optimistic-locking version: pass it as updateProfile's expectedVersion." })
  version?: number | null;

  @Field(() => DateTimeScalar, { nullable: true, description: "Owner only." })
  createdAt?: Date | null;
}
