// Checks shared by the account and profile values. Each returns the normalised value or throws BAD_USER_INPUT naming the field.
import { BadUserInputError } from "@watchflixx/common";

const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
export const MIN_PASSWORD_LENGTH = 8;
/** scrypt takes any length; the cap only keeps a request from making us hash megabytes. */
export const MAX_PASSWORD_LENGTH = 256;

/** Trimmed and lower-cased: the one form emails are stored and looked up in. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function validEmail(email: string, field = "email"): string {
  const normalised = normaliseEmail(email);
  if (normalised.length > 254 || !EMAIL_PATTERN.test(normalised)) {
    throw new BadUserInputError("Enter a valid email address.", field);
  }
  return normalised;
}

export function validPassword(password: string, field = "password"): string {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new BadUserInputError(`A password needs at least ${MIN_PASSWORD_LENGTH} characters.`, field);
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new BadUserInputError(`A password may have at most ${MAX_PASSWORD_LENGTH} characters.`, field);
  }
  return password;
}

/** Trimmed, non-empty, at most `max` characters, no control characters. */
export function validName(value: string, field: string, max: number): string {
  const trimmed = value.trim();
  if (trimmed.length === 0) throw new BadUserInputError(`${field} must not be empty.`, field);
  if (trimmed.length > max) throw new BadUserInputError(`${field} may have at most ${max} characters.`, field);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) throw new BadUserInputError(`${field} must not contain control characters.`, field);
  return trimmed;
}

export function validPin(pin: string, field = "pin"): string {
  if (!/^[0-9]{4}$/.test(pin)) throw new BadUserInputError("A PIN is exactly 4 digits.", field);
  return pin;
}

export function validAvatarUrl(value: string, field = "avatarUrl"): string {
  const trimmed = value.trim();
  let url: URL | null = null;
  try {
    url = new URL(trimmed);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:") || trimmed.length > 2048) {
    throw new BadUserInputError("avatarUrl must be an http(s) URL of at most 2048 characters.", field);
  }
  return trimmed;
}
