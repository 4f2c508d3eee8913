import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import { NotFoundError } from "@watchflixx/common";
import { BillingSubscription } from "../entities/billing-subscription.ts";
import { Plan } from "../entities/plan.ts";
import { SubscribeInput } from "../inputs/subscribe.input.ts";
import type { BillingReadsService } from "../services/billing-reads.service.ts";
import type { SubscriptionService } from "../services/subscriptions.service.ts";
import { readerOf, type Context } from "./context.ts";

@Resolver(() => BillingSubscription)
export class BillingSubscriptionResolver {
  constructor(
    private readonly subscriptions: SubscriptionService,
    private readonly reads: BillingReadsService,
  ) {}

  @Mutation(() => BillingSubscription, {
    description: "Subscribes the caller to a plan. One live subscription per account: CONFLICT when there is one.",
  })
  subscribe(@Arg("input", () => SubscribeInput) input: SubscribeInput, @Ctx() context: Context): Promise<BillingSubscription> {
    return this.subscriptions.subscribe(context.identity, input);
  }

  @Mutation(() => BillingSubscription, {
    description: "Cancels the caller's subscription at the end of the paid period (it stays ACTIVE until then).",
  })
  cancelSubscription(@Ctx() context: Context): Promise<BillingSubscription> {
    return this.subscriptions.cancel(context.identity);
  }

  @FieldResolver(() => Plan)
  async plan(@Root() subscription: BillingSubscription, @Ctx() context: Context): Promise<Plan> {
    const plan = await this.reads.planById(readerOf(context), subscription.planId);
    if (!plan) throw new NotFoundError("Plan");
    return plan;
  }
}
