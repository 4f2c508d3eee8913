import { randomInt } from "node:crypto";

/** No 0/O, 1/I/L: codes are read off a TV screen and typed on a phone. */
export const INVITE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const INVITE_CODE_LENGTH = 8;

export function newInviteCode(): string {
  let code = "";
  for (let i = 0; i < INVITE_CODE_LENGTH; i += 1) code += INVITE_ALPHABET[randomInt(INVITE_ALPHABET.length)];
  return code;
}

/** Accepts what people type: lower case, spaces or dashes between groups. */
export function normaliseInviteCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, "");
}
