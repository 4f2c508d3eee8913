import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import type { PartyWatchSession } from "@watchflixx/db";
import { isGatewaySubscriber, requireIdentity, ForbiddenError, whileAllowed } from "@watchflixx/common";
import { PartyMember, PartyMessage, PartySyncEvent, PartyWatch } from "../entities/party.ts";
import { ContentRef, EpisodeRef, ProfileRef } from "../entities/references.ts";
import { CreatePartyWatchInput, PartyControlInput } from "../inputs/party.inputs.ts";
import { partyTopics, type MessagePayload, type SyncPayload } from "../services/topics.ts";
import { pubSubOf, type SocialContext } from "./context.ts";

function toMessage(payload: MessagePayload): PartyMessage {
  return { id: payload.id, sessionId: payload.sessionId, text: payload.text, createdAt: new Date(payload.createdAt), sender: { id: payload.senderProfileId } };
}

function toSync(payload: SyncPayload): PartySyncEvent {
  return {
    sessionId: payload.sessionId,
    action: payload.action,
    positionSeconds: payload.positionSeconds,
    issuedAt: new Date(payload.issuedAt),
    by: { id: payload.byProfileId },
  };
}

/**
 * The subscribe side of a party topic: members only (FORBIDDEN otherwise), and a member's stream ends when
 * they leave. The gateway's own SERVICE identity holds the one shared stream it fans out to its clients;
 * it asks this same check for each client first (see @watchflixx/common subscriptions).
 */
async function subscribeToParty(context: SocialContext, sessionId: string, topic: string): Promise<AsyncIterable<unknown>> {
  const pubSub = pubSubOf(context);
  if (isGatewaySubscriber(context.identity)) return pubSub.asyncIterableIterator(topic) as AsyncIterable<unknown>;
  const caller = requireIdentity(context);
  const service = context.loaders.party;
  if (!(await service.isMember(caller.userId, sessionId))) throw new ForbiddenError("Only members of this party receive its events.");
  const source = pubSub.asyncIterableIterator(topic) as AsyncIterableIterator<unknown>;
  return whileAllowed(source, () => service.isMember(caller.userId, sessionId));
}

@Resolver(() => PartyWatch)
export class PartyWatchResolver {
  @Query(() => PartyWatch, { nullable: true, description: "A party the caller is in; null otherwise." })
  async partyWatch(@Arg("id", () => ID) id: string, @Ctx() context: SocialContext): Promise<PartyWatchSession | null> {
    requireIdentity(context);
    return context.loaders.party.findForMember(context.identity, id);
  }

  @Mutation(() => PartyWatch)
  async createPartyWatch(@Arg("input", () => CreatePartyWatchInput) input: CreatePartyWatchInput, @Ctx() context: SocialContext) {
    const identity = requireIdentity(context);
    await context.rateLimits.consume("party-creation-account", identity.userId, "watch parties created");
    return context.loaders.party.create(identity, input);
  }

  @Mutation(() => PartyWatch)
  async joinPartyWatch(
    @Arg("inviteCode", () => String) inviteCode: string,
    @Arg("profileId", () => ID) profileId: string,
    @Ctx() context: SocialContext,
  ) {
    const identity = requireIdentity(context);
    // Only joins whose code (or profile) leads nowhere count.
    await context.rateLimits.consume("party-invite-account", identity.userId, "invite codes tried");
    return context.rateLimits.keepIfNotFound("party-invite-account", identity.userId, () => context.loaders.party.join(identity, inviteCode, profileId));
  }

  @Mutation(() => Boolean, { description: "True when the caller was in the party; leaving twice is harmless." })
  async leavePartyWatch(@Arg("sessionId", () => ID) sessionId: string, @Ctx() context: SocialContext): Promise<boolean> {
    return context.loaders.party.leave(context.identity, pubSubOf(context), sessionId);
  }

  @Mutation(() => PartyMessage)
  async sendPartyMessage(
    @Arg("sessionId", () => ID) sessionId: string,
    @Arg("text", () => String) text: string,
    @Ctx() context: SocialContext,
  ): Promise<PartyMessage> {
    return toMessage(await context.loaders.party.sendMessage(context.identity, pubSubOf(context), sessionId, text));
  }

  @Mutation(() => PartySyncEvent, { description: "Host only: PLAY, PAUSE or SEEK for everyone." })
  async controlPartyPlayback(@Arg("input", () => PartyControlInput) input: PartyControlInput, @Ctx() context: SocialContext): Promise<PartySyncEvent> {
    return toSync(await context.loaders.party.control(context.identity, pubSubOf(context), input));
  }

  @Subscription(() => PartyMessage, {
    subscribe: ({ args, context }) => subscribeToParty(context as SocialContext, args.sessionId as string, partyTopics.messages(args.sessionId as string)),
    description: "Chat messages of a party, for its members.",
  })
  partyMessageAdded(@Root() payload: MessagePayload, @Arg("sessionId", () => ID) _sessionId: string): PartyMessage {
    return toMessage(payload);
  }

  @Subscription(() => PartySyncEvent, {
    subscribe: ({ args, context }) => subscribeToParty(context as SocialContext, args.sessionId as string, partyTopics.sync(args.sessionId as string)),
    description: "The host's PLAY, PAUSE and SEEK, for the party's members.",
  })
  partySync(@Root() payload: SyncPayload, @Arg("sessionId", () => ID) _sessionId: string): PartySyncEvent {
    return toSync(payload);
  }

  @FieldResolver(() => [PartyMember])
  async members(@Root() party: PartyWatchSession, @Ctx() context: SocialContext): Promise<PartyMember[]> {
    const members = await context.loaders.presentMembers.load(party.id);
    return members.map((member) => ({ profile: { id: member.profileId }, role: member.role, joinedAt: member.joinedAt }));
  }

  @FieldResolver(() => ProfileRef)
  host(@Root() party: PartyWatchSession): ProfileRef {
    return { id: party.hostProfileId };
  }

  @FieldResolver(() => ContentRef)
  content(@Root() party: PartyWatchSession): ContentRef {
    return { id: party.contentId };
  }

  @FieldResolver(() => EpisodeRef, { nullable: true })
  episode(@Root() party: PartyWatchSession): EpisodeRef | null {
    return party.episodeId ? { id: party.episodeId } : null;
  }
}
