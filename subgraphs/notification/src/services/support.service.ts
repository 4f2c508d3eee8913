// Support tickets: a user opens one (its message is the first response), staff answer (the user gets a
// SUPPORT_REPLY notification, live and by email), both sides read the conversation.
import { NotificationType, TicketStatus, type SupportTicket } from "@watchflixx/db";
import { NotFoundError, pageSize, requireIdentity, requireStaff, type SubgraphContext } from "@watchflixx/common";
import { checkOpenSupportTicket, checkText, MESSAGE_MAX, type OpenSupportTicketInput } from "../inputs/support.input.ts";
import { queueEmail, recipientOf } from "./email-outbox.ts";
import { insertNotifications, publishNotifications } from "./notification.service.ts";
import type { NotificationRuntime } from "./runtime.ts";

export type TicketRow = SupportTicket;

export async function openSupportTicket(context: SubgraphContext, input: OpenSupportTicketInput): Promise<TicketRow> {
  const identity = requireIdentity(context);
  const { subject, message } = checkOpenSupportTicket(input);
  return context.db.supportTicket.create({
    data: {
      userId: identity.userId,
      subject,
      responses: { create: { authorUserId: identity.userId, fromStaff: false, body: message } },
    },
  });
}

/** The caller's tickets, newest first. */
export async function listOwnTickets(context: SubgraphContext, first: number | null | undefined): Promise<TicketRow[]> {
  const identity = requireIdentity(context);
  return context.db.supportTicket.findMany({
    where: { userId: identity.userId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: pageSize(first),
  });
}

/** Staff: tickets of every account, oldest waiting first (default: the OPEN ones). */
export async function supportQueue(
  context: SubgraphContext,
  status: TicketStatus | null | undefined,
  first: number | null | undefined,
): Promise<TicketRow[]> {
  requireStaff(context);
  return context.db.supportTicket.findMany({
    where: { status: status ?? TicketStatus.OPEN },
    orderBy: [{ updatedAt: "asc" }, { id: "asc" }],
    take: pageSize(first),
  });
}

/**
 * Staff answer a ticket: the answer, the ticket's status (ANSWERED), the user's SUPPORT_REPLY notification and
 * its email are one transaction; the live notification goes out after the commit.
 */
export async function respondToSupportTicket(
  context: SubgraphContext,
  runtime: NotificationRuntime,
  ticketId: string,
  body: string,
): Promise<TicketRow> {
  const staff = requireStaff(context);
  const text = checkText(body, "body", MESSAGE_MAX);
  const { ticket, notifications, emailQueued } = await context.db.$transaction(async (tx) => {
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
  await publishNotifications(context.pubSub, notifications);
  if (emailQueued) runtime.wakeEmailSender();
  return ticket;
}
