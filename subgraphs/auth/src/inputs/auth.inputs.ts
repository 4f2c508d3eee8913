// Sign-up and sign-in inputs, as the contract names them (declarative: checked by services/account-values.ts,
// whose plain types they match).
import { Field, InputType } from "type-graphql";
import { DeviceType } from "@watchflixx/common";
import type { Credentials, NewAccount } from "../services/account-values.ts";

@InputType("SignUpInput")
export class SignUpInput implements NewAccount {
  @Field(() => String)
  email!: string;

  @Field(() => String, { description: "At least 8 characters." })
  password!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true, description: "Name of the device signing up (default: by type)." })
  deviceName?: string | null;

  @Field(() => DeviceType, { nullable: true, description: "Default WEB." })
  deviceType?: DeviceType | null;
}

@InputType("SignInInput")
export class SignInInput implements Credentials {
  @Field(() => String)
  email!: string;

  @Field(() => String)
  password!: string;

  @Field(() => String, { nullable: true, description: "Shown in the account's device list (default: by type)." })
  deviceName?: string | null;

  @Field(() => DeviceType, { nullable: true, description: "Default WEB." })
  deviceType?: DeviceType | null;
}
