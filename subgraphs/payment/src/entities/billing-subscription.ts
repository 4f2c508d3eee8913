import { Directive, Field, ID, ObjectType } from "type-graphql";
import { DateTimeScalar, PRIVATE_HINT } from "@watchflixx/common";
import { SubscriptionStatus } from "./enums.ts";

/** `Subscription` is the GraphQL root type's name: the billing subscription is `BillingSubscription`. */
@Directive('@key(fields: "id")')
@Directive(PRIVATE_HINT)
@ObjectType("BillingSubscription", { description: "A user's subscription to a plan." })
export class BillingSubscription {
  @Field(() => ID) id!: string;
  @Field(() => SubscriptionStatus) status!: SubscriptionStatus;
  @Field(() => DateTimeScalar) currentPeriodStart!: Date;
  @Field(() => DateTimeScalar, { description: "End of the paid period: the renewal date, or the end date when canceled." })
  currentPeriodEnd!: Date;
  @Field(() => Boolean, { description: "True once canceled: the subscription stays usable until currentPeriodEnd." })
  cancelAtPeriodEnd!: boolean;
  @Field(() => DateTimeScalar, { nullable: true }) canceledAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) trialEnd!: Date | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => String, {
    nullable: true,
    description:
      "Returned by `subscribe` only when the payment provider needs the client to confirm a payment or a card (Stripe); null otherwise.",
  })
  clientSecret?: string | null;

  planId!: string;
  userId!: string;
}
