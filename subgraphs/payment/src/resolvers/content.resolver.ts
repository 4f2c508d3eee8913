import { Ctx, Directive, FieldResolver, Resolver, Root } from "type-graphql";
import { CATALOG_HINT } from "@watchflixx/common";
import type { SubgraphContext } from "@watchflixx/common";
import { Content } from "../entities/content.ts";
import { Money } from "../entities/money.ts";
import type { Loaders } from "../loaders.ts";
import { rentalPriceOf } from "../services/billing-reads.service.ts";

@Resolver(() => Content)
export class ContentPriceResolver {
  @Directive(CATALOG_HINT)
  // Shareable: the content subgraph answers it too, from the title it reads (same function, rentalPriceOfTitle).
  @Directive("@shareable")
  @FieldResolver(() => Money, { nullable: true, description: "The price to rent this title; null when it is not for rent." })
  rentalPrice(@Root() content: Content, @Ctx() context: SubgraphContext<Loaders>): Promise<Money | null> {
    return rentalPriceOf(context, content.id);
  }
}
