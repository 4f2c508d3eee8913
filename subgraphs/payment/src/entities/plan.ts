import { Directive, Field, ID, Int, ObjectType } from "type-graphql";
import { CATALOG_HINT, VideoQuality } from "@watchflixx/common";
import { BillingInterval } from "./enums.ts";

@Directive('@key(fields: "id")')
@Directive(CATALOG_HINT)
@ObjectType("Plan", { description: "A subscription plan on offer." })
export class Plan {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'Stable machine name ("basic", "standard", "premium").' }) code!: string;
  @Field(() => String) name!: string;
  @Field(() => Int, { description: "Price per interval, in minor units of `currency`." }) priceCents!: number;
  @Field(() => String, { description: "ISO 4217 code." }) currency!: string;
  @Field(() => BillingInterval) interval!: BillingInterval;
  @Field(() => Int, { description: "Concurrent playback sessions allowed per account." }) maxStreams!: number;
  @Field(() => VideoQuality) maxQuality!: VideoQuality;
  @Field(() => Int, { description: "Free days before the first charge (0: none)." }) trialDays!: number;
}
