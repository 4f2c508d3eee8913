// What a client sends to sign up or sign in, as plain data, and its validation: BAD_USER_INPUT naming the field.
// The GraphQL inputs (src/inputs/auth.inputs.ts) match these types.
import { BadUserInputError, DeviceType } from "@watchflixx/common";
import { normaliseEmail, validEmail, validName, validPassword } from "./field-checks.ts";

/** The device a sign-up or sign-in creates. */
export interface DeviceChoice {
  deviceName?: string | null;
  deviceType?: DeviceType | null;
}

export interface NewAccount extends DeviceChoice {
  email: string;
  password: string;
  name: string;
}

export interface Credentials extends DeviceChoice {
  email: string;
  password: string;
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

export function deviceDetails(choice: DeviceChoice): DeviceDetails {
  const type = choice.deviceType ?? DeviceType.WEB;
  const name = choice.deviceName == null ? DEFAULT_DEVICE_NAMES[type] : validName(choice.deviceName, "deviceName", 100);
  return { name, type };
}

export interface ValidSignUp {
  email: string;
  password: string;
  name: string;
  device: DeviceDetails;
}

export function validateSignUp(account: NewAccount): ValidSignUp {
  return {
    email: validEmail(account.email),
    password: validPassword(account.password),
    name: validName(account.name, "name", 100),
    device: deviceDetails(account),
  };
}

export interface ValidSignIn {
  /** Normalised but not pattern-checked: a malformed email simply matches no account. */
  email: string;
  password: string;
  device: DeviceDetails;
}

export function validateSignIn(credentials: Credentials): ValidSignIn {
  if (credentials.password.length > 1024) throw new BadUserInputError("password is too long.", "password");
  return { email: normaliseEmail(credentials.email), password: credentials.password, device: deviceDetails(credentials) };
}
