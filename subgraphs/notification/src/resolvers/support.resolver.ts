// Support tickets: one service call per field.
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { SupportResponse as SupportResponseRow } from "@watchflixx/db";
import { SupportResponse, SupportTicket, TicketStatus } from "../entities/support.ts";
import { OpenSupportTicketInput } from "../inputs/support.input.ts";
import type { SupportService, TicketRow } from "../services/support.service.ts";
import type { NotificationContext } from "./context.ts";

@Resolver(() => SupportTicket)
export class SupportResolver {
  constructor(private readonly support: SupportService) {}

  @Mutation(() => SupportTicket, { description: "Opens a ticket; its message becomes the first response (fromStaff: false)." })
  openSupportTicket(
    @Arg("input", () => OpenSupportTicketInput) input: OpenSupportTicketInput,
    @Ctx() context: NotificationContext,
  ): Promise<TicketRow> {
    return this.support.open(context.identity, input);
  }

  @Query(() => [SupportTicket], { description: "The caller's tickets, newest first. first: default 20, at most 100." })
  supportTickets(
    @Arg("first", () => Int, { nullable: true }) first: number | null | undefined,
    @Ctx() context: NotificationContext,
  ): Promise<TicketRow[]> {
    return this.support.listOwn(context.identity, first);
  }

  @Query(() => [SupportTicket], {
    description: "Staff only: every account's tickets in a status (default OPEN), longest waiting first.",
  })
  supportQueue(
    @Arg("status", () => TicketStatus, { nullable: true }) status: TicketStatus | null | undefined,
    @Arg("first", () => Int, { nullable: true }) first: number | null | undefined,
    @Ctx() context: NotificationContext,
  ): Promise<TicketRow[]> {
    return this.support.queue(context.identity, status, first);
  }

  @Mutation(() => SupportTicket, {
    description: "Staff only: answers a ticket (status ANSWERED); the user gets a SUPPORT_REPLY notification and an email.",
  })
  respondToSupportTicket(
    @Arg("ticketId", () => ID) ticketId: string,
    @Arg("body", () => String) body: string,
    @Ctx() context: NotificationContext,
  ): Promise<TicketRow> {
    return this.support.respond(context.identity, ticketId, body);
  }

  @FieldResolver(() => [SupportResponse], { description: "Oldest first; the first one is the opening message." })
  responses(@Root() ticket: TicketRow, @Ctx() context: NotificationContext): Promise<SupportResponseRow[]> {
    return this.support.responsesOf(context.loaders, ticket);
  }
}
