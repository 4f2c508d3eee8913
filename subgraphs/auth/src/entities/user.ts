// The account. Owned here; payment extends it (subscription, invoices, rentals). Only the account itself
// (or staff) can resolve it: the reference resolver answers null for anyone else.
import { Directive, Field, ID, ObjectType } from "type-graphql";
import { DateTimeScalar, PRIVATE_HINT } from "@watchflixx/common";
import { UserRole } from "./user-role.ts";

@Directive('@key(fields: "id")')
@Directive(PRIVATE_HINT)
@ObjectType("User", { description: "An account. Visible only to itself (and to staff)." })
export class User {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "Trimmed and lower-cased; unique." })
  email!: string;

  @Field(() => String)
  name!: string;

  @Field(() => UserRole)
  role!: UserRole;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  // profiles, devices and settings are field resolvers (UserResolver), batched through loaders.
}
