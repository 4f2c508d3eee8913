import { Directive, Field, Int, ObjectType } from "type-graphql";
import { CATALOG_HINT } from "@watchflixx/common";

/** A value type other subgraphs may declare too: shareable, with the same two fields everywhere. */
@Directive("@shareable")
@Directive(CATALOG_HINT)
@ObjectType("Money", { description: "An amount in minor units (cents) of an ISO 4217 currency." })
export class Money {
  @Field(() => Int) amountCents!: number;
  @Field(() => String) currency!: string;
}
