// Text a client sends, checked once for every operation before anything runs: a string with a NUL character
// or half of a UTF-16 surrogate pair cannot be stored (PostgreSQL refuses U+0000 in text) nor printed, and a
// string longer than the generic cap is refused whatever field it is for. Variables are checked at any depth
// (input objects, lists, entity representations), and so are the string literals written in the document.
// Per-field caps (a ticket's 5,000 characters, ...) stay with their inputs; this is the floor under them.
import { Kind, visit, type DocumentNode } from "graphql";
import { BadUserInputError } from "./errors.ts";

export const DEFAULT_INPUT_MAX_STRING_LENGTH = 10_000;

/** A lone high or low surrogate: invalid text that JSON escapes (`"\ud800"`) and GraphQL's `\u` escapes can carry. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What is wrong with one string, or undefined when it is acceptable. */
export function textProblem(value: string, maxLength: number): string | undefined {
  if (value.includes("\u0000")) return "must not contain a NUL character (U+0000)";
  if (LONE_SURROGATE.test(value)) return "must be valid Unicode text (it has an unpaired UTF-16 surrogate)";
  if (value.length > maxLength) return `must be at most ${maxLength} characters long`;
  return undefined;
}

function refuse(where: string | undefined, problem: string): never {
  const error = new BadUserInputError(`${where ? `The input ${where}` : "A text input"} ${problem}.`, where);
  error.extensions.http = { status: 400 };
  throw error;
}

/** Throws BAD_USER_INPUT (HTTP 400) for the first bad string in `variables` (named by its path, `$input.email`). */
export function checkVariablesText(variables: unknown, maxLength: number): void {
  const walk = (value: unknown, path: string): void => {
    if (typeof value === "string") {
      const problem = textProblem(value, maxLength);
      if (problem) refuse(path, problem);
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, `${path}[${index}]`));
    } else if (value !== null && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) {
        const keyProblem = textProblem(key, maxLength);
        if (keyProblem) refuse(`name in ${path}`, keyProblem);
        walk(item, `${path}.${key}`);
      }
    }
  };
  if (variables === null || typeof variables !== "object") return;
  for (const [name, value] of Object.entries(variables)) walk(value, `$${name}`);
}

/** Throws BAD_USER_INPUT (HTTP 400) for the first bad string literal in the document (`search(query: "\u0000")`). */
export function checkDocumentText(document: DocumentNode, maxLength: number): void {
  visit(document, {
    Argument(node) {
      if (node.value.kind !== Kind.STRING) return;
      const problem = textProblem(node.value.value, maxLength);
      if (problem) refuse(node.name.value, problem);
    },
    StringValue(node) {
      const problem = textProblem(node.value, maxLength);
      if (problem) refuse(undefined, problem);
    },
  });
}
