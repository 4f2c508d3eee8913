import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import { DateTimeScalar } from "@watchflixx/common";
import { Content } from "../entities/content.ts";
import { Money } from "../entities/money.ts";
import { Rental } from "../entities/rental.ts";
import { RentalStatus } from "../entities/enums.ts";
import { effectiveRentalStatus } from "../services/rental-rules.ts";
import type { RentalService } from "../services/rentals.service.ts";
import type { Context } from "./context.ts";

@Resolver(() => Rental)
export class RentalResolver {
  constructor(private readonly rentals: RentalService) {}

  @Mutation(() => Rental, {
    description: "Rents a title for the caller: NOT_FOUND for an unknown title, BAD_USER_INPUT when it is not for rent.",
  })
  rentContent(@Arg("contentId", () => ID) contentId: string, @Ctx() context: Context): Promise<Rental> {
    return this.rentals.rentContent(context.identity, contentId);
  }

  @FieldResolver(() => RentalStatus, { description: "EXPIRED once expiresAt has passed." })
  status(@Root() rental: Rental): RentalStatus {
    return effectiveRentalStatus(rental);
  }

  @FieldResolver(() => DateTimeScalar, {
    description: "Until the first play, 30 days after purchase; from the first play, 48 hours after it (never later than the 30 days).",
  })
  expiresAt(@Root() rental: Rental): Date {
    return rental.expiresAt;
  }

  @FieldResolver(() => Money, { description: "What the rental cost." })
  price(@Root() rental: Rental): Money {
    return { amountCents: rental.priceCents, currency: rental.currency };
  }

  @FieldResolver(() => Content)
  content(@Root() rental: Rental): Content {
    return { id: rental.contentId };
  }
}
