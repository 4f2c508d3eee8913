// Party watch: the only code that reads or writes party tables. Membership and host rules live here.
import type { PartyWatchMember, PartyWatchSession, Prisma, PrismaClient } from "@watchflixx/db";
import {
  AppError,
  BadUserInputError,
  ConflictError,
  ErrorCode,
  ForbiddenError,
  isGatewaySubscriber,
  publishRevocation,
  whileAllowed,
  newTypedCode,
  normaliseTypedCode,
  NotFoundError,
  RateLimitedError,
  recordEvent,
  requireEntitlement,
  requireIdentity,
  requireUnlocked,
  resolveViewerProfile,
  type Identity,
  type RateLimits,
  type SubscriptionPubSub,
  requireWithinMaturityLimit,
} from "@watchflixx/common";
import type { Loaders } from "../loaders.ts";
import { partyTopics, type MessagePayload, type SyncPayload } from "./topics.ts";

type Tx = Prisma.TransactionClient;

export interface PartySettings {
  /** Present members a party holds at most (PARTY_MAX_MEMBERS). */
  maxMembers: number;
  /** Chat rate limit: at most `messages` per member within `windowMs`. */
  chatLimit: { messages: number; windowMs: number };
}

/** Only tests change the chat limit. */
export const DEFAULT_CHAT_LIMIT: PartySettings["chatLimit"] = { messages: 5, windowMs: 5000 };

/** Chat messages: 1 to 500 characters once surrounding whitespace is trimmed. */
export const MESSAGE_MAX_LENGTH = 500;

/** `createPartyWatch`'s input: the caller's profile hosts. */
export interface NewParty {
  profileId: string;
  contentId: string;
  episodeId?: string | null;
}

/** `controlPartyPlayback`'s input: the host's PLAY, PAUSE or SEEK. */
export interface PartyControl {
  sessionId: string;
  action: SyncPayload["action"];
  positionSeconds: number;
}

/** A present member as the API lists it. */
export interface PresentMember {
  profile: { id: string };
  role: PartyWatchMember["role"];
  joinedAt: Date;
}

/** Serialises everything that changes one party (joins, leaves, chat, control) so events keep their order. */
async function lockParty(tx: Tx, sessionId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`watchflixx:party:${sessionId}`}, 0))`;
}

async function loadPlayableTitle(db: Pick<PrismaClient, "content" | "episode">, contentId: string, episodeId: string | null | undefined) {
  const content = await db.content.findUnique({
    where: { id: contentId },
    select: { id: true, type: true, maturityRating: true, publishedAt: true },
  });
  if (!content || !content.publishedAt) throw new NotFoundError("Content");
  if (episodeId) {
    const episode = await db.episode.findUnique({ where: { id: episodeId }, select: { contentId: true } });
    if (!episode || episode.contentId !== contentId) throw new NotFoundError("Episode");
  }
  return content;
}

/** A viewer may join with a profile only if that profile may watch the title and the account may play it. */
async function requireViewer(db: PrismaClient, identity: Identity | null, profileId: string, contentId: string, episodeId?: string | null) {
  // Watching together is playing: a PIN-protected profile must be unlocked on this device.
  const profile = requireUnlocked(await resolveViewerProfile(db, identity, profileId));
  const content = await loadPlayableTitle(db, contentId, episodeId);
  requireWithinMaturityLimit(content.maturityRating, profile.maturityLimit);
  await requireEntitlement(db, profile.userId, contentId, new Date());
  return profile;
}

/** The caller's present membership in a party, or null. */
export async function activeMembership(db: Pick<PrismaClient, "partyWatchMember">, userId: string, sessionId: string) {
  return db.partyWatchMember.findFirst({
    where: { sessionId, userId, leftAt: null, session: { state: { not: "ENDED" } } },
    orderBy: { joinedAt: "asc" },
  });
}

async function requireMembership(db: PrismaClient, identity: Identity | null, sessionId: string): Promise<PartyWatchMember> {
  const caller = requireIdentity({ identity });
  const membership = await activeMembership(db, caller.userId, sessionId);
  if (!membership) {
    const exists = await db.partyWatchSession.count({ where: { id: sessionId } });
    if (!exists) throw new NotFoundError("Party");
    throw new ForbiddenError("Only members of this party can do that.");
  }
  return membership;
}

export class PartyService {
  constructor(
    private readonly db: PrismaClient,
    private readonly settings: PartySettings,
    private readonly rateLimits: RateLimits,
    /** The subgraph's pub/sub, opened on first use (building the subgraph does no I/O). */
    private readonly pubSub: () => SubscriptionPubSub,
  ) {}

  async create(identity: Identity | null, input: NewParty) {
    const caller = requireIdentity({ identity });
    await this.rateLimits.consume("party-creation-account", caller.userId, "watch parties created");
    const profile = await requireViewer(this.db, identity, input.profileId, input.contentId, input.episodeId);
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.db.$transaction(async (tx) => {
          const session = await tx.partyWatchSession.create({
            data: {
              hostProfileId: profile.id,
              contentId: input.contentId,
              episodeId: input.episodeId ?? null,
              inviteCode: newTypedCode(),
              members: { create: { profileId: profile.id, userId: profile.userId, role: "HOST" } },
            },
          });
          await recordEvent(tx, {
            eventType: "PartyWatchStarted",
            service: "social",
            aggregateType: "party",
            aggregateId: session.id,
            payload: { sessionId: session.id, hostProfileId: profile.id, userId: profile.userId, contentId: input.contentId, inviteCode: session.inviteCode },
          });
          return session;
        });
      } catch (error) {
        // An invite code collision (31^8 codes): draw another.
        const unique = (error as { code?: string }).code === "P2002";
        if (!unique || attempt >= 3) throw error;
      }
    }
  }

  async join(identity: Identity | null, inviteCode: string, profileId: string): Promise<PartyWatchSession> {
    const caller = requireIdentity({ identity });
    // Only joins whose code (or profile) leads nowhere count.
    await this.rateLimits.consume("party-invite-account", caller.userId, "invite codes tried");
    return this.rateLimits.keepIfNotFound("party-invite-account", caller.userId, () => this.joinWithCode(identity, inviteCode, profileId));
  }

  private async joinWithCode(identity: Identity | null, inviteCode: string, profileId: string): Promise<PartyWatchSession> {
    const session = await this.db.partyWatchSession.findUnique({ where: { inviteCode: normaliseTypedCode(inviteCode) } });
    if (!session) throw new NotFoundError("Party");
    if (session.state === "ENDED") throw new ConflictError("This party has ended.");
    const profile = await requireViewer(this.db, identity, profileId, session.contentId, session.episodeId);

    return this.db.$transaction(async (tx) => {
      await lockParty(tx, session.id);
      const current = await tx.partyWatchSession.findUniqueOrThrow({ where: { id: session.id } });
      if (current.state === "ENDED") throw new ConflictError("This party has ended.");
      const mine = await tx.partyWatchMember.findMany({ where: { sessionId: session.id, userId: profile.userId, leftAt: null } });
      if (mine.some((member) => member.profileId === profile.id)) return current; // already in: joining again is a no-op
      if (mine.length > 0) throw new ConflictError("Another profile of this account is already in the party.");
      const present = await tx.partyWatchMember.count({ where: { sessionId: session.id, leftAt: null } });
      if (present >= this.settings.maxMembers) {
        throw new AppError(ErrorCode.FORBIDDEN, `This party is full (${this.settings.maxMembers} members).`, { reason: "PARTY_FULL" });
      }
      await tx.partyWatchMember.upsert({
        where: { sessionId_profileId: { sessionId: session.id, profileId: profile.id } },
        create: { sessionId: session.id, profileId: profile.id, userId: profile.userId, role: "MEMBER" },
        update: { leftAt: null, joinedAt: new Date(), role: "MEMBER", version: { increment: 1 } },
      });
      await recordEvent(tx, {
        eventType: "PartyWatchJoined",
        service: "social",
        aggregateType: "party",
        aggregateId: session.id,
        payload: { sessionId: session.id, profileId: profile.id, userId: profile.userId },
      });
      return current;
    });
  }

  /** Leaves with every profile of the caller's account. True when the caller was in the party. */
  async leave(identity: Identity | null, sessionId: string): Promise<boolean> {
    const caller = requireIdentity({ identity });
    const left = await this.db.$transaction(async (tx) => {
      await lockParty(tx, sessionId);
      const now = new Date();
      const mine = await tx.partyWatchMember.findMany({ where: { sessionId, userId: caller.userId, leftAt: null } });
      if (mine.length === 0) return false;
      await tx.partyWatchMember.updateMany({
        where: { id: { in: mine.map((member) => member.id) } },
        data: { leftAt: now, version: { increment: 1 } },
      });
      const remaining = await tx.partyWatchMember.findMany({ where: { sessionId, leftAt: null }, orderBy: [{ joinedAt: "asc" }, { id: "asc" }] });
      const next = remaining[0];
      if (!next) {
        await tx.partyWatchSession.update({ where: { id: sessionId }, data: { state: "ENDED", endedAt: now, version: { increment: 1 } } });
        await recordEvent(tx, { eventType: "PartyWatchEnded", service: "social", aggregateType: "party", aggregateId: sessionId, payload: { sessionId } });
      } else if (mine.some((member) => member.role === "HOST") && !remaining.some((member) => member.role === "HOST")) {
        // The longest-present member takes over.
        await tx.partyWatchMember.update({ where: { id: next.id }, data: { role: "HOST", version: { increment: 1 } } });
        await tx.partyWatchSession.update({ where: { id: sessionId }, data: { hostProfileId: next.profileId, version: { increment: 1 } } });
      }
      if (mine.some((member) => member.role === "HOST")) {
        await tx.partyWatchMember.updateMany({ where: { id: { in: mine.map((member) => member.id) } }, data: { role: "MEMBER" } });
      }
      return true;
    });
    if (left) {
      // Streams the gateway shares stop for this user; direct subscribers stop at their next event.
      await publishRevocation(this.pubSub(), { userId: caller.userId, service: "social", fields: ["partyMessageAdded", "partySync"], arguments: { sessionId } });
    }
    return left;
  }

  async sendMessage(identity: Identity | null, sessionId: string, rawText: string): Promise<MessagePayload> {
    const text = rawText.trim();
    if (text.length < 1 || text.length > MESSAGE_MAX_LENGTH) {
      throw new BadUserInputError(`A message is 1 to ${MESSAGE_MAX_LENGTH} characters.`, "text");
    }
    const member = await requireMembership(this.db, identity, sessionId);
    const { messages, windowMs } = this.settings.chatLimit;
    return this.db.$transaction(async (tx) => {
      await lockParty(tx, sessionId);
      const recent = await tx.partyWatchMessage.count({
        where: { sessionId, profileId: member.profileId, createdAt: { gt: new Date(Date.now() - windowMs) } },
      });
      if (recent >= messages) {
        throw new RateLimitedError(`At most ${messages} messages every ${windowMs / 1000} seconds.`, Math.ceil(windowMs / 1000));
      }
      const message = await tx.partyWatchMessage.create({ data: { sessionId, profileId: member.profileId, text } });
      const payload: MessagePayload = { id: message.id, sessionId, text, createdAt: message.createdAt, senderProfileId: member.profileId };
      // Published while the party's lock is held, so events leave in the order they were written.
      await this.pubSub().publish(partyTopics.messages(sessionId), payload);
      return payload;
    });
  }

  async control(identity: Identity | null, input: PartyControl): Promise<SyncPayload> {
    if (!Number.isFinite(input.positionSeconds) || input.positionSeconds < 0) {
      throw new BadUserInputError("positionSeconds must be zero or more.", "positionSeconds");
    }
    const member = await requireMembership(this.db, identity, input.sessionId);
    if (member.role !== "HOST") throw new ForbiddenError("Only the host controls playback.");
    return this.db.$transaction(async (tx) => {
      await lockParty(tx, input.sessionId);
      const issuedAt = new Date();
      const session = await tx.partyWatchSession.findUniqueOrThrow({ where: { id: input.sessionId } });
      const state = input.action === "PLAY" ? "PLAYING" : input.action === "PAUSE" ? "PAUSED" : session.state;
      await tx.partyWatchSession.update({
        where: { id: input.sessionId },
        data: { state, positionSeconds: input.positionSeconds, stateUpdatedAt: issuedAt, version: { increment: 1 } },
      });
      const payload: SyncPayload = { sessionId: input.sessionId, action: input.action, positionSeconds: input.positionSeconds, issuedAt, byProfileId: member.profileId };
      await this.pubSub().publish(partyTopics.sync(input.sessionId), payload);
      return payload;
    });
  }

  /** `partyWatch(id)`: a signed-in caller's party, null unless the caller is a present member. */
  async partyOfCaller(identity: Identity | null, sessionId: string): Promise<PartyWatchSession | null> {
    requireIdentity({ identity });
    return this.findForMember(identity, sessionId);
  }

  /** Present members of a party, longest-present first (batched through the request's loader). */
  async membersOf(loaders: Loaders, sessionId: string): Promise<PresentMember[]> {
    const members = await loaders.presentMembers.load(sessionId);
    return members.map((member) => ({ profile: { id: member.profileId }, role: member.role, joinedAt: member.joinedAt }));
  }

  /**
   * A party's events (`topic`) for a subscriber: members only (FORBIDDEN otherwise), and a member's stream ends
   * when they leave. The gateway's own SERVICE identity holds the one shared stream it fans out to its clients;
   * it asks this same check for each client first (see @watchflixx/common subscriptions).
   */
  async eventsFor(identity: Identity | null, sessionId: string, topic: string): Promise<AsyncIterable<unknown>> {
    const pubSub = this.pubSub();
    if (isGatewaySubscriber(identity)) return pubSub.asyncIterableIterator(topic) as AsyncIterable<unknown>;
    const caller = requireIdentity({ identity });
    if (!(await this.isMember(caller.userId, sessionId))) throw new ForbiddenError("Only members of this party receive its events.");
    const source = pubSub.asyncIterableIterator(topic) as AsyncIterableIterator<unknown>;
    return whileAllowed(source, () => this.isMember(caller.userId, sessionId));
  }

  /** For entity references: the party, only for its present members. */
  async findForMember(identity: Identity | null, sessionId: string): Promise<PartyWatchSession | null> {
    if (!identity) return null;
    const membership = await activeMembership(this.db, identity.userId, sessionId);
    if (!membership) return null;
    return this.db.partyWatchSession.findUnique({ where: { id: sessionId } });
  }

  /** Whether a subscriber may still receive a party's events (checked at subscribe time and per event). */
  async isMember(userId: string, sessionId: string): Promise<boolean> {
    return (await activeMembership(this.db, userId, sessionId)) !== null;
  }
}
