// What the checks report, printed the way Rover prints its checks: one `error[CODE]: ...` line per problem,
// followed by detail lines such as `COMPOSITION_ERROR: INVALID_FIELD_SHARING: ...`.

export const ISSUE_CODES = {
  /** The subgraphs do not compose. */
  COMPOSITION_ERROR: "E001",
  /** An object type that is not a root operation type is named Query, Mutation or Subscription. */
  ROOT_TYPE_NAME: "E002",
  /** A change that breaks the published supergraph for a client, not announced in the registry. */
  BREAKING_CHANGE: "E003",
  /** An enum value clients read (an output enum) was added without an announcement. */
  UNANNOUNCED_ENUM_VALUE: "E004",
  /** A client operation no longer validates against the supergraph. */
  OPERATION_INVALID: "E005",
  /** The registry's files differ from what the code produces: run `pnpm microservices:sync`. */
  REGISTRY_OUT_OF_DATE: "E006",
  /** The registry itself is inconsistent (manifest hashes, announcements file). */
  REGISTRY_INVALID: "E007",
  /** A subgraph's create function could not be loaded or threw. */
  SUBGRAPH_LOAD_FAILED: "E008",
  /** microservices.config.json disagrees with the code or with prisma/schema.prisma. */
  CONFIG_MISMATCH: "E009",
  /** A subgraph's files do not follow README.md's "Subgraph layout". */
  SUBGRAPH_LAYOUT: "E010",
} as const;

export type IssueKind = keyof typeof ISSUE_CODES;

export interface Issue {
  kind: IssueKind;
  /** The `error[CODE]:` line. */
  message: string;
  /** Lines printed under it (composition errors, invalid operations, differing files). */
  details?: string[];
}

export interface Note {
  /** `warning` for things a reviewer should look at, `note` for information. */
  level: "warning" | "note";
  message: string;
}

export function issue(kind: IssueKind, message: string, details?: string[]): Issue {
  return details && details.length > 0 ? { kind, message, details } : { kind, message };
}

export function formatIssue(item: Issue): string {
  const lines = [`error[${ISSUE_CODES[item.kind]}]: ${item.message}`, ...(item.details ?? [])];
  return lines.join("\n");
}

export function formatNote(note: Note): string {
  return `${note.level}: ${note.message}`;
}

/**
 * The whole report: a heading, the notes, every error, then a one-line verdict such as
 * `error: schema check failed with 2 errors` or `schema check passed`.
 */
export function formatReport(options: { heading: string; subject: string; issues: Issue[]; notes: Note[] }): string {
  const { heading, subject, issues, notes } = options;
  const blocks = [heading, ...notes.map(formatNote), ...issues.map(formatIssue)].filter((block) => block !== "");
  const verdict = issues.length === 0 ? `${subject} passed` : `error: ${subject} failed with ${issues.length} error${issues.length === 1 ? "" : "s"}`;
  return `${blocks.join("\n\n")}\n\n${verdict}\n`;
}
