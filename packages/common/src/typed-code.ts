// Short codes people read off one screen and type on another (TV pairing codes, party invites).
import { randomInt } from "node:crypto";

/** No look-alikes (no 0/O, 1/I/L): 31 symbols, so 8 of them make 31^8 ≈ 8.5e11 codes. */
export const TYPED_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const TYPED_CODE_LENGTH = 8;

/** A fresh code from a cryptographic random source (codes are guessable otherwise). */
export function newTypedCode(length: number = TYPED_CODE_LENGTH): string {
  let code = "";
  for (let i = 0; i < length; i += 1) code += TYPED_CODE_ALPHABET[randomInt(TYPED_CODE_ALPHABET.length)];
  return code;
}

/** What people type: any case, spaces or dashes between groups. */
export function normaliseTypedCode(input: string): string {
  return input.replace(/[\s-]/g, "").toUpperCase();
}
