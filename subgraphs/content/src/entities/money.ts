// Money, the value type payment declares too (shareable, the same two fields everywhere): Content.rentalPrice.
import { Directive, Field, Int, ObjectType } from "type-graphql";
import { CATALOG_HINT } from "@watchflixx/common";

@Directive(CATALOG_HINT)
@Directive("@shareable")
@ObjectType("Money", { description: "An amount in minor units (cents) of an ISO 4217 currency." })
export class Money {
  @Field(() => Int) amountCents!: number;
  @Field(() => String) currency!: string;
}
