// Sign-up and sign-in inputs, as the contract names them.
import { Field, InputType } from "type-graphql";
import { BadUserInputError, DeviceType } from "@watchflixx/common";
import { normaliseEmail, validEmail, validName, validPassword } from "./validation.ts";

@InputType("SignUpInput")
export class SignUpInput {
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
export class SignInInput {
  @Field(() => String)
  email!: string;

  @Field(() => String)
  password!: string;

  @Field(() => String, { nullable: true, description: "Shown in the account's device list (default: by type)." })
  deviceName?: string | null;

  @Field(() => DeviceType, { nullable: true, description: "Default WEB." })
  deviceType?: DeviceType | null;
}

export interface DeviceDetails {
  name: string;
  type: DeviceType;
}

const DEFAULT_DEVICE_NAMES: Record<DeviceType, string> = {
  WEB: "Web browser",
  TV: "TV",
  MOBILE: "Phone",
  TABLET: "Tablet",
};

export function deviceDetails(input: { deviceName?: string | null; deviceType?: DeviceType | null }): DeviceDetails {
  const type = input.deviceType ?? DeviceType.WEB;
  const name = input.deviceName == null ? DEFAULT_DEVICE_NAMES[type] : validName(input.deviceName, "deviceName", 100);
  return { name, type };
}

export interface ValidSignUp {
  email: string;
  password: string;
  name: string;
  device: DeviceDetails;
}

export function validateSignUp(input: SignUpInput): ValidSignUp {
  return {
    email: validEmail(input.email),
    password: validPassword(input.password),
    name: validName(input.name, "name", 100),
    device: deviceDetails(input),
  };
}

export interface ValidSignIn {
  /** Normalised but not pattern-checked: a malformed email simply matches no account. */
  email: string;
  password: string;
  device: DeviceDetails;
}

export function validateSignIn(input: SignInInput): ValidSignIn {
  if (input.password.length > 1024) throw new BadUserInputError("password is too long.", "password");
  return { email: normaliseEmail(input.email), password: input.password, device: deviceDetails(input) };
}
