// Party inputs (declarative: PartyService checks them).
import { Field, ID, InputType, Int } from "type-graphql";
import { PartyAction } from "../entities/party.ts";
import type { NewParty, PartyControl } from "../services/party.service.ts";

@InputType("CreatePartyWatchInput")
export class CreatePartyWatchInput implements NewParty {
  @Field(() => ID, { description: "The caller's profile that hosts the party." })
  profileId!: string;

  @Field(() => ID)
  contentId!: string;

  @Field(() => ID, { nullable: true })
  episodeId?: string | null;
}

@InputType("PartyControlInput")
export class PartyControlInput implements PartyControl {
  @Field(() => ID)
  sessionId!: string;

  @Field(() => PartyAction)
  action!: PartyAction;

  @Field(() => Int)
  positionSeconds!: number;
}
