// Support ticket arguments and their checks (BAD_USER_INPUT naming the field).
import { Field, InputType } from "type-graphql";
import { BadUserInputError } from "@watchflixx/common";

export const SUBJECT_MAX = 200;
export const MESSAGE_MAX = 5000;

@InputType("OpenSupportTicketInput")
export class OpenSupportTicketInput {
  @Field(() => String, { description: `1 to ${SUBJECT_MAX} characters.` })
  subject!: string;

  @Field(() => String, { description: `The opening message, 1 to ${MESSAGE_MAX} characters; the ticket's first response.` })
  message!: string;
}

export function checkText(value: string, field: string, max: number): string {
  const text = value.trim();
  if (text.length === 0) throw new BadUserInputError(`${field} must not be empty.`, field);
  if (text.length > max) throw new BadUserInputError(`${field} must be at most ${max} characters.`, field);
  return text;
}

export function checkOpenSupportTicket(input: OpenSupportTicketInput): { subject: string; message: string } {
  return { subject: checkText(input.subject, "subject", SUBJECT_MAX), message: checkText(input.message, "message", MESSAGE_MAX) };
}
