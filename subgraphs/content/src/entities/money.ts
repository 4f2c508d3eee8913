// Money, the value type payment declares too (shareable, the same two fields everywhere): Content.rentalPrice.
import { Directive, Field, Int, ObjectType } from "type-graphql";

@Directive("@shareable")
@ObjectType("Money", { description: "An amount in minor units (cents) of an ISO 4217 currency." })
export class Money {
  @Field(() => Int) amountCents!: number;
  @Field(() => String) currency!: string;
}
