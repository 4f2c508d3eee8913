// subscribe's input (declarative: SubscriptionService.subscribe checks it).
import { Field, ID, InputType } from "type-graphql";
import type { SubscribeInputData } from "../services/subscriptions.service.ts";

@InputType("SubscribeInput")
export class SubscribeInput implements SubscribeInputData {
  @Field(() => ID) planId!: string;
  @Field(() => String, {
    nullable: true,
    description: "A payment method the provider knows (Stripe `pm_...`), to pay with; omitted, the client confirms with clientSecret.",
  })
  paymentMethodId?: string | null;
}
