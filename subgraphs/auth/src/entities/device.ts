// A signed-in device: one per sign-in, sign-up or completed TV pairing. Its refresh-token family is its session.
import { Directive, Field, ID, ObjectType } from "type-graphql";
import { DateTimeScalar, DeviceType, PRIVATE_HINT } from "@watchflixx/common";

@Directive('@key(fields: "id")')
@Directive(PRIVATE_HINT)
@ObjectType("Device", { description: "A device signed in to an account. Visible only to that account." })
export class Device {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => DeviceType)
  type!: DeviceType;

  @Field(() => DateTimeScalar, { description: "Last sign-in or token refresh from this device." })
  lastSeenAt!: Date;

  @Field(() => DateTimeScalar)
  createdAt!: Date;
}
