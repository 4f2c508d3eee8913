// Support tickets: a user opens one (its message is the first response), staff answer (the user gets a
// SUPPORT_REPLY notification, live and by email), both sides read the conversation.
import { NotificationType, TicketStatus, type PrismaClient, type SupportResponse, type SupportTicket } from "@watchflixx/db";
import { BadUserInputError, NotFoundError, pageSize, requireIdentity, requireStaff, type Identity } from "@watchflixx/common";
import type { NotificationLoaders } from "../loaders.ts";
import { queueEmail, recipientOf, type EmailSender } from "./email-outbox.ts";
import { insertNotifications, type NotificationService } from "./notification.service.ts";

export type TicketRow = SupportTicket;

export const SUBJECT_MAX = 200;
export const MESSAGE_MAX = 5000;

/** `openSupportTicket`'s input as the caller gives it (src/inputs/support.input.ts matches it). */
export interface NewSupportTicket {
  subject: string;
  message: string;
}

/** Trimmed, not empty, at most `max` characters; BAD_USER_INPUT naming the field otherwise. */
function checkText(value: string, field: string, max: number): string {
  const text = value.trim();
  if (text.length === 0) throw new BadUserInputError(`${field} must not be empty.`, field);
  if (text.length > max) throw new BadUserInputError(`${field} must be at most ${max} characters.`, field);
  return text;
}

/** The loader's batch query: the responses of many tickets, oldest first. */
export function fetchResponsesOfTickets(db: PrismaClient, ticketIds: readonly string[]): Promise<SupportResponse[]> {
  return db.supportResponse.findMany({ where: { ticketId: { in: [...ticketIds] } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
}

export class SupportService {
  constructor(
    private readonly db: PrismaClient,
    private readonly notifications: NotificationService,
    private readonly email: EmailSender,
  ) {}

  async open(viewer: Identity | null, ticket: NewSupportTicket): Promise<TicketRow> {
    const identity = requireIdentity({ identity: viewer });
    const subject = checkText(ticket.subject, "subject", SUBJECT_MAX);
    const message = checkText(ticket.message, "message", MESSAGE_MAX);
    return this.db.supportTicket.create({
      data: {
        userId: identity.userId,
        subject,
        responses: { create: { authorUserId: identity.userId, fromStaff: false, body: message } },
      },
    });
  }

  /** The caller's tickets, newest first. */
  listOwn(viewer: Identity | null, first: number | null | undefined): Promise<TicketRow[]> {
    const identity = requireIdentity({ identity: viewer });
    return this.db.supportTicket.findMany({
      where: { userId: identity.userId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: pageSize(first),
    });
  }

  /** Staff: tickets of every account, oldest waiting first (default: the OPEN ones). */
  queue(viewer: Identity | null, status: TicketStatus | null | undefined, first: number | null | undefined): Promise<TicketRow[]> {
    requireStaff({ identity: viewer });
    return this.db.supportTicket.findMany({
      where: { status: status ?? TicketStatus.OPEN },
      orderBy: [{ updatedAt: "asc" }, { id: "asc" }],
      take: pageSize(first),
    });
  }

  /** Oldest first; the first one is the opening message. Batched through the request's loader. */
  responsesOf(loaders: NotificationLoaders, ticket: TicketRow): Promise<SupportResponse[]> {
    return loaders.responses.load(ticket.id);
  }

  /**
   * Staff answer a ticket: the answer, the ticket's status (ANSWERED), the user's SUPPORT_REPLY notification and
   * its email are one transaction; the live notification goes out after the commit.
   */
  async respond(viewer: Identity | null, ticketId: string, body: string): Promise<TicketRow> {
    const staff = requireStaff({ identity: viewer });
    const text = checkText(body, "body", MESSAGE_MAX);
    const { ticket, notifications, emailQueued } = await this.db.$transaction(async (tx) => {
      const current = await tx.supportTicket.findUnique({ where: { id: ticketId } });
      if (!current) throw new NotFoundError("Support ticket");
      const response = await tx.supportResponse.create({
        data: { ticketId: current.id, authorUserId: staff.userId, fromStaff: true, body: text },
      });
      const updated = await tx.supportTicket.update({
        where: { id: current.id },
        data: { status: TicketStatus.ANSWERED, version: { increment: 1 }, syncedAt: new Date() },
      });
      const created = await insertNotifications(tx, [
        {
          userId: current.userId,
          type: NotificationType.SUPPORT_REPLY,
          title: `Support replied: ${current.subject}`,
          body: text.length > 280 ? `${text.slice(0, 277)}...` : text,
          data: { ticketId: current.id, responseId: response.id },
        },
      ]);
      const to = await recipientOf(tx, current.userId, "optional");
      if (to) {
        await queueEmail(tx, {
          to,
          subject: `Re: ${current.subject}`,
          body: `${text}\n\nReply in the app under Help > Your tickets.`,
        });
      }
      return { ticket: updated, notifications: created, emailQueued: to !== null };
    });
    await this.notifications.publish(notifications);
    if (emailQueued) this.email.wake();
    return ticket;
  }
}
