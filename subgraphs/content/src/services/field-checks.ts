// Small checks shared by the validators of services/*-values.ts. Each throws BAD_USER_INPUT naming the field.
import { BadUserInputError } from "@watchflixx/common";

export function requiredText(value: string, field: string, max: number): string {
  const text = value.trim();
  if (text.length === 0) throw new BadUserInputError(`${field} must not be empty.`, field);
  if (text.length > max) throw new BadUserInputError(`${field} must be at most ${max} characters.`, field);
  return text;
}

/** Trimmed text; an empty string becomes null. */
export function optionalText(value: string | null | undefined, field: string, max: number): string | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (text.length > max) throw new BadUserInputError(`${field} must be at most ${max} characters.`, field);
  return text.length === 0 ? null : text;
}

export function intInRange(value: number, field: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new BadUserInputError(`${field} must be a whole number from ${min} to ${max}.`, field);
  }
  return value;
}

export function httpUrl(value: string | null | undefined, field: string): string | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (text.length === 0) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new BadUserInputError(`${field} must be an http(s) URL.`, field);
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || text.length > 2048) {
    throw new BadUserInputError(`${field} must be an http(s) URL.`, field);
  }
  return text;
}

/** For update inputs: a field that may be omitted but not set to null. */
export function notNull<T>(value: T | null | undefined, field: string): T | undefined {
  if (value === null) throw new BadUserInputError(`${field} cannot be null.`, field);
  return value;
}

export function currentYear(): number {
  return new Date().getUTCFullYear();
}
