import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import type { PartyWatchSession } from "@watchflixx/db";
import { PartyMember, PartyMessage, PartySyncEvent, PartyWatch } from "../entities/party.ts";
import { ContentRef, EpisodeRef, ProfileRef } from "../entities/references.ts";
import { CreatePartyWatchInput, PartyControlInput } from "../inputs/party.inputs.ts";
import type { PartyService, PresentMember } from "../services/party.service.ts";
import { partyTopics, type MessagePayload, type SyncPayload } from "../services/topics.ts";
import type { SocialContext } from "./context.ts";

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

/** The subscribe side of a party topic, through the request scope's party service (see context.ts). */
function partyEvents(context: SocialContext, sessionId: string, topic: string): Promise<AsyncIterable<unknown>> {
  return context.loaders.parties.eventsFor(context.identity, sessionId, topic);
}

@Resolver(() => PartyWatch)
export class PartyWatchResolver {
  constructor(private readonly parties: PartyService) {}

  @Query(() => PartyWatch, { nullable: true, description: "A party the caller is in; null otherwise." })
  partyWatch(@Arg("id", () => ID) id: string, @Ctx() context: SocialContext): Promise<PartyWatchSession | null> {
    return this.parties.partyOfCaller(context.identity, id);
  }

  @Mutation(() => PartyWatch)
  createPartyWatch(@Arg("input", () => CreatePartyWatchInput) input: CreatePartyWatchInput, @Ctx() context: SocialContext): Promise<PartyWatchSession> {
    return this.parties.create(context.identity, input);
  }

  @Mutation(() => PartyWatch)
  joinPartyWatch(
    @Arg("inviteCode", () => String) inviteCode: string,
    @Arg("profileId", () => ID) profileId: string,
    @Ctx() context: SocialContext,
  ): Promise<PartyWatchSession> {
    return this.parties.join(context.identity, inviteCode, profileId);
  }

  @Mutation(() => Boolean, { description: "True when the caller was in the party; leaving twice is harmless." })
  leavePartyWatch(@Arg("sessionId", () => ID) sessionId: string, @Ctx() context: SocialContext): Promise<boolean> {
    return this.parties.leave(context.identity, sessionId);
  }

  @Mutation(() => PartyMessage)
  async sendPartyMessage(
    @Arg("sessionId", () => ID) sessionId: string,
    @Arg("text", () => String) text: string,
    @Ctx() context: SocialContext,
  ): Promise<PartyMessage> {
    return toMessage(await this.parties.sendMessage(context.identity, sessionId, text));
  }

  @Mutation(() => PartySyncEvent, { description: "Host only: PLAY, PAUSE or SEEK for everyone." })
  async controlPartyPlayback(@Arg("input", () => PartyControlInput) input: PartyControlInput, @Ctx() context: SocialContext): Promise<PartySyncEvent> {
    return toSync(await this.parties.control(context.identity, input));
  }

  @Subscription(() => PartyMessage, {
    subscribe: ({ args, context }) => partyEvents(context as SocialContext, args.sessionId as string, partyTopics.messages(args.sessionId as string)),
    description: "Chat messages of a party, for its members.",
  })
  partyMessageAdded(@Root() payload: MessagePayload, @Arg("sessionId", () => ID) _sessionId: string): PartyMessage {
    return toMessage(payload);
  }

  @Subscription(() => PartySyncEvent, {
    subscribe: ({ args, context }) => partyEvents(context as SocialContext, args.sessionId as string, partyTopics.sync(args.sessionId as string)),
    description: "The host's PLAY, PAUSE and SEEK, for the party's members.",
  })
  partySync(@Root() payload: SyncPayload, @Arg("sessionId", () => ID) _sessionId: string): PartySyncEvent {
    return toSync(payload);
  }

  @FieldResolver(() => [PartyMember])
  members(@Root() party: PartyWatchSession, @Ctx() context: SocialContext): Promise<PresentMember[]> {
    return this.parties.membersOf(context.loaders, party.id);
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
