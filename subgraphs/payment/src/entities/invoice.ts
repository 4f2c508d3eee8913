import { Directive, Field, ID, Int, ObjectType } from "type-graphql";
import { DateTimeScalar, PRIVATE_HINT } from "@watchflixx/common";
import { InvoiceStatus } from "./enums.ts";

@Directive('@key(fields: "id")')
@Directive(PRIVATE_HINT)
@ObjectType("Invoice", { description: "A charge: a subscription period or a rental." })
export class Invoice {
  @Field(() => ID) id!: string;
  @Field(() => Int) amountCents!: number;
  @Field(() => String) currency!: string;
  @Field(() => InvoiceStatus) status!: InvoiceStatus;
  @Field(() => DateTimeScalar) issuedAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true }) paidAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true, description: "The subscription period billed (null for a rental)." })
  periodStart!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) periodEnd!: Date | null;

  userId!: string;
  subscriptionId!: string | null;
  rentalId!: string | null;
}
