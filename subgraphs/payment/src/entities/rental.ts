import { Directive, Field, ID, ObjectType } from "type-graphql";
import { DateTimeScalar, PRIVATE_HINT } from "@watchflixx/common";
import type { RentalStatus } from "./enums.ts";

/** `status`, `expiresAt`, `price` and `content` are resolved in rental.resolver.ts. */
@Directive('@key(fields: "id")')
@Directive(PRIVATE_HINT)
@ObjectType("Rental", { description: "A rented title: 30 days to start watching, then 48 hours from the first play." })
export class Rental {
  @Field(() => ID) id!: string;
  @Field(() => DateTimeScalar) purchasedAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true }) firstPlayedAt!: Date | null;
  @Field(() => String, {
    nullable: true,
    description: "Returned by `rentContent` only when the payment provider needs the client to confirm the payment (Stripe); null otherwise.",
  })
  clientSecret?: string | null;

  userId!: string;
  contentId!: string;
  status!: RentalStatus;
  expiresAt!: Date;
  priceCents!: number;
  currency!: string;
}
