// Support tickets: a user's question and the conversation on it. The opening message is the first response.
import { Directive, Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { TicketStatus } from "@watchflixx/db";
import { DateTimeScalar, PRIVATE_HINT } from "@watchflixx/common";

registerEnumType(TicketStatus, {
  name: "TicketStatus",
  valuesConfig: {
    OPEN: { description: "Waiting for staff." },
    ANSWERED: { description: "Staff replied." },
    CLOSED: { description: "Done." },
  },
});

export { TicketStatus };

@Directive(PRIVATE_HINT)
@ObjectType("SupportResponse")
export class SupportResponse {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  body!: string;

  @Field(() => Boolean, { description: "True for a staff answer; false for the user's own messages." })
  fromStaff!: boolean;

  @Field(() => DateTimeScalar)
  createdAt!: Date;
}

@Directive(PRIVATE_HINT)
@ObjectType("SupportTicket")
export class SupportTicket {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  subject!: string;

  @Field(() => TicketStatus)
  status!: TicketStatus;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;

  // `responses` is resolved per ticket through a DataLoader (resolvers/support.resolver.ts).
}
