// Party watch as clients see it: the session, its members, chat messages and playback sync events.
import { Directive, Field, Float, ID, ObjectType, registerEnumType } from "type-graphql";
import { PartyRole, PartyState } from "@watchflixx/db";
import { DateTimeScalar, PRIVATE_HINT } from "@watchflixx/common";
import { ContentRef, EpisodeRef, ProfileRef } from "./references.ts";

registerEnumType(PartyState, { name: "PartyState", description: "PLAYING, PAUSED, or ENDED once the last member left." });
registerEnumType(PartyRole, { name: "PartyRole" });

/** What the host may do to everyone's player. */
export const PartyAction = { PLAY: "PLAY", PAUSE: "PAUSE", SEEK: "SEEK" } as const;
export type PartyAction = (typeof PartyAction)[keyof typeof PartyAction];
registerEnumType(PartyAction, { name: "PartyAction" });

@Directive(PRIVATE_HINT)
@ObjectType("PartyMember")
export class PartyMember {
  @Field(() => ProfileRef)
  profile!: ProfileRef;

  @Field(() => PartyRole)
  role!: PartyRole;

  @Field(() => DateTimeScalar)
  joinedAt!: Date;
}

@Directive('@key(fields: "id")')
@Directive(PRIVATE_HINT)
@ObjectType("PartyWatch", { description: "A party: friends watching one title together, in sync." })
export class PartyWatch {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "8 characters without look-alikes; share it to invite." })
  inviteCode!: string;

  @Field(() => PartyState)
  state!: PartyState;

  @Field(() => Float, {
    description: "Position when `stateUpdatedAt` was recorded. While PLAYING, the live position is this plus the seconds since then.",
  })
  positionSeconds!: number;

  @Field(() => DateTimeScalar, { description: "Server time of the last PLAY, PAUSE or SEEK." })
  stateUpdatedAt!: Date;

  @Field(() => ProfileRef)
  host!: ProfileRef;

  @Field(() => ContentRef)
  content!: ContentRef;

  @Field(() => EpisodeRef, { nullable: true })
  episode!: EpisodeRef | null;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true })
  endedAt!: Date | null;
}

@Directive(PRIVATE_HINT)
@ObjectType("PartyMessage")
export class PartyMessage {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  sessionId!: string;

  @Field(() => String)
  text!: string;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => ProfileRef)
  sender!: ProfileRef;
}

@Directive(PRIVATE_HINT)
@ObjectType("PartySyncEvent", { description: "A host's PLAY, PAUSE or SEEK, stamped with the server time." })
export class PartySyncEvent {
  @Field(() => ID)
  sessionId!: string;

  @Field(() => PartyAction)
  action!: PartyAction;

  @Field(() => Float)
  positionSeconds!: number;

  @Field(() => DateTimeScalar)
  issuedAt!: Date;

  @Field(() => ProfileRef)
  by!: ProfileRef;
}
