import { Directive, Field, ID, ObjectType } from "type-graphql";

/** The auth subgraph's User; this subgraph adds `subscription`, `invoices` and `rentals` (user.resolver.ts). */
@Directive('@key(fields: "id")')
@ObjectType("User")
export class User {
  @Field(() => ID) id!: string;
}
