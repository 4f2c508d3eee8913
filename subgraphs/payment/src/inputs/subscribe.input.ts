import { Field, ID, InputType } from "type-graphql";

@InputType("SubscribeInput")
export class SubscribeInput {
  @Field(() => ID) planId!: string;
  @Field(() => String, {
    nullable: true,
    description: "A payment method the provider knows (Stripe `pm_...`), to pay with; omitted, the client confirms with clientSecret.",
  })
  paymentMethodId?: string | null;
}
