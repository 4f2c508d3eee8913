import { Ctx, Directive, FieldResolver, Resolver, Root } from "type-graphql";
import { CATALOG_HINT } from "@watchflixx/common";
import { Content } from "../entities/content.ts";
import { Money } from "../entities/money.ts";
import type { BillingReadsService } from "../services/billing-reads.service.ts";
import { readerOf, type Context } from "./context.ts";

@Resolver(() => Content)
export class ContentPriceResolver {
  constructor(private readonly reads: BillingReadsService) {}

  @Directive(CATALOG_HINT)
  // Shareable: the content subgraph answers it too, from the title it reads (same function, rentalPriceOfTitle).
  @Directive("@shareable")
  @FieldResolver(() => Money, { nullable: true, description: "The price to rent this title; null when it is not for rent." })
  rentalPrice(@Root() content: Content, @Ctx() context: Context): Promise<Money | null> {
    return this.reads.rentalPriceOf(readerOf(context), content.id);
  }
}
