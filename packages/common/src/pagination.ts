// List arguments the contract fixes: `first` defaults to 20 and may be at most 100; cursors are opaque.
import { BadUserInputError } from "./errors.ts";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export function pageSize(first: number | null | undefined, defaults = { default: DEFAULT_PAGE_SIZE, max: MAX_PAGE_SIZE }): number {
  if (first === null || first === undefined) return defaults.default;
  if (!Number.isInteger(first) || first < 0 || first > defaults.max) {
    throw new BadUserInputError(`first must be between 0 and ${defaults.max}.`, "first");
  }
  return first;
}

/** Opaque cursor: base64url of a JSON value. Clients never parse it. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

export function decodeCursor<T>(cursor: string, isValid: (value: unknown) => value is T): T {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (isValid(value)) return value;
  } catch {
    // fall through to the client error below
  }
  throw new BadUserInputError("after is not a cursor this API returned.", "after");
}
