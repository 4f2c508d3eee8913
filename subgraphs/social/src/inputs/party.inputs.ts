import { Field, ID, InputType, Int } from "type-graphql";
import { PartyAction } from "../entities/party.ts";

@InputType("CreatePartyWatchInput")
export class CreatePartyWatchInput {
  @Field(() => ID, { description: "The caller's profile that hosts the party." })
  profileId!: string;

  @Field(() => ID)
  contentId!: string;

  @Field(() => ID, { nullable: true })
  episodeId?: string | null;
}

@InputType("PartyControlInput")
export class PartyControlInput {
  @Field(() => ID)
  sessionId!: string;

  @Field(() => PartyAction)
  action!: PartyAction;

  @Field(() => Int)
  positionSeconds!: number;
}

/** Chat messages: 1 to 500 characters once surrounding whitespace is trimmed. */
export const MESSAGE_MAX_LENGTH = 500;
