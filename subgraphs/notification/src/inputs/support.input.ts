// Support ticket arguments (declarative: checked by services/support.service.ts, whose plain type it matches).
import { Field, InputType } from "type-graphql";
import { MESSAGE_MAX, SUBJECT_MAX, type NewSupportTicket } from "../services/support.service.ts";

@InputType("OpenSupportTicketInput")
export class OpenSupportTicketInput implements NewSupportTicket {
  @Field(() => String, { description: `1 to ${SUBJECT_MAX} characters.` })
  subject!: string;

  @Field(() => String, { description: `The opening message, 1 to ${MESSAGE_MAX} characters; the ticket's first response.` })
  message!: string;
}
