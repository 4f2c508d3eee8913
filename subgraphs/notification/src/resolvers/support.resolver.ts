import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { SupportResponse, SupportTicket, TicketStatus } from "../entities/support.ts";
import { OpenSupportTicketInput } from "../inputs/support.input.ts";
import type { NotificationContext } from "../loaders.ts";
import type { NotificationRuntime } from "../services/runtime.ts";
import {
  listOwnTickets,
  openSupportTicket,
  respondToSupportTicket,
  supportQueue,
  type TicketRow,
} from "../services/support.service.ts";

@Resolver(() => SupportTicket)
export class SupportResolver {
  constructor(private readonly runtime: NotificationRuntime) {}

  @Mutation(() => SupportTicket, { description: "Opens a ticket; its message becomes the first response (fromStaff: false)." })
  openSupportTicket(
    @Arg("input", () => OpenSupportTicketInput) input: OpenSupportTicketInput,
    @Ctx() context: NotificationContext,
  ): Promise<TicketRow> {
    return openSupportTicket(context, input);
  }

  @Query(() => [SupportTicket], { description: "The caller's tickets, newest first. first: default 20, at most 100." })
  supportTickets(
    @Arg("first", () => Int, { nullable: true }) first: number | null | undefined,
    @Ctx() context: NotificationContext,
  ): Promise<TicketRow[]> {
    return listOwnTickets(context, first);
  }

  @Query(() => [SupportTicket], {
    description: "Staff only: every account's tickets in a status (default OPEN), longest waiting first.",
  })
  supportQueue(
    @Arg("status", () => TicketStatus, { nullable: true }) status: TicketStatus | null | undefined,
    @Arg("first", () => Int, { nullable: true }) first: number | null | undefined,
    @Ctx() context: NotificationContext,
  ): Promise<TicketRow[]> {
    return supportQueue(context, status, first);
  }

  @Mutation(() => SupportTicket, {
    description: "Staff only: answers a ticket (status ANSWERED); the user gets a SUPPORT_REPLY notification and an email.",
  })
  respondToSupportTicket(
    @Arg("ticketId", () => ID) ticketId: string,
    @Arg("body", () => String) body: string,
    @Ctx() context: NotificationContext,
  ): Promise<TicketRow> {
    return respondToSupportTicket(context, this.runtime, ticketId, body);
  }

  @FieldResolver(() => [SupportResponse], { description: "Oldest first; the first one is the opening message." })
  responses(@Root() ticket: TicketRow, @Ctx() context: NotificationContext): Promise<SupportResponse[]> {
    return context.loaders.responses.load(ticket.id);
  }
}
