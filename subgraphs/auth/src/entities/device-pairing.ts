import { Directive, Field, ObjectType } from "type-graphql";
import { DateTimeScalar, PRIVATE_HINT } from "@watchflixx/common";

@Directive(PRIVATE_HINT)
@ObjectType("DevicePairing", { description: "A pairing code for a TV to show: approve it from a signed-in client within 10 minutes." })
export class DevicePairing {
  @Field(() => String, { description: "8 characters, no look-alikes (no 0/O, 1/I/L). Works once." })
  pairingCode!: string;

  @Field(() => DateTimeScalar)
  expiresAt!: Date;
}
