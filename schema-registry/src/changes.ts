// What a new supergraph changes for clients, compared with the published one: @graphql-inspector/core's diff
// of the two API schemas (the client-facing schema, without federation's machinery), sorted into what fails
// the check (unannounced breaking changes; unannounced new values of enums clients read) and what is shown.
import { CriticalityLevel, diff, type Change } from "@graphql-inspector/core";
import { getNamedType, isEnumType, isInterfaceType, isObjectType, type GraphQLSchema } from "graphql";
import { findAnnouncement, type Announcement } from "./announcements.ts";
import { buildApiSchema } from "./compose.ts";
import { issue, type Issue, type Note } from "./issues.ts";

export interface ClassifiedChange {
  type: string;
  /** Schema coordinate in path form (`Content.title`, `Query.browse.first`, `ContentType.DOCUMENTARY`). */
  path: string;
  message: string;
  announcement?: Announcement;
}

export interface SchemaChanges {
  /** Breaking, not announced: each fails the check. */
  breaking: ClassifiedChange[];
  /** New values of enums that clients read, not announced: each fails the check. */
  unannouncedEnumValues: ClassifiedChange[];
  /** Breaking or enum-value changes covered by an announcement. */
  announced: ClassifiedChange[];
  /** Other dangerous changes (a new optional argument's default, a union member, ...): shown, not fatal. */
  dangerous: ClassifiedChange[];
  /** Everything else (added fields and types, deprecations, descriptions). */
  safe: ClassifiedChange[];
}

/** Enums that appear as the type of an object or interface field: clients switch on their values. */
export function outputEnums(schema: GraphQLSchema): Set<string> {
  const enums = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith("__") || !(isObjectType(type) || isInterfaceType(type))) continue;
    for (const field of Object.values(type.getFields())) {
      const named = getNamedType(field.type);
      if (isEnumType(named)) enums.add(named.name);
    }
  }
  return enums;
}

/** Inspector's messages, in the quoting Rover uses, with the usual cases worded as `Field "Type.field" was removed`. */
export function describeChange(change: Change): string {
  const path = change.path ?? "";
  switch (change.type) {
    case "FIELD_REMOVED":
      return `Field "${path}" was removed`;
    case "INPUT_FIELD_REMOVED":
      return `Input field "${path}" was removed`;
    case "TYPE_REMOVED":
      return `Type "${path}" was removed`;
    case "ENUM_VALUE_REMOVED":
      return `Enum value "${path}" was removed`;
    case "ENUM_VALUE_ADDED":
      return `Enum value "${path}" was added`;
    case "FIELD_ARGUMENT_REMOVED":
      return `Argument "${path.replace(/\.(\w+)$/, "($1:)")}" was removed`;
    case "FIELD_ARGUMENT_ADDED":
      return `Required argument "${path.replace(/\.(\w+)$/, "($1:)")}" was added`;
    default:
      return change.message.replace(/'/g, '"');
  }
}

export async function compareApiSchemas(
  publishedApiSdl: string,
  proposedApiSdl: string,
  announcements: Announcement[],
): Promise<SchemaChanges> {
  const published = buildApiSchema(publishedApiSdl);
  const proposed = buildApiSchema(proposedApiSdl);
  const clientEnums = outputEnums(proposed);
  const result: SchemaChanges = { breaking: [], unannouncedEnumValues: [], announced: [], dangerous: [], safe: [] };
  for (const change of await diff(published, proposed)) {
    const path = change.path ?? "";
    const classified: ClassifiedChange = { type: change.type, path, message: describeChange(change) };
    const announcement = findAnnouncement(announcements, path, change.type);
    const level = change.criticality.level;
    // A value of an enum that is itself new is part of a new type, not a surprise for existing clients.
    const addedToNewEnum = change.type === "ENUM_VALUE_ADDED" && (change.meta as { addedToNewType?: boolean }).addedToNewType === true;
    const enumValueClientsRead = change.type === "ENUM_VALUE_ADDED" && !addedToNewEnum && clientEnums.has(path.split(".")[0] ?? "");
    if (level === CriticalityLevel.Breaking || enumValueClientsRead) {
      if (announcement) result.announced.push({ ...classified, announcement });
      else if (level === CriticalityLevel.Breaking) result.breaking.push(classified);
      else result.unannouncedEnumValues.push(classified);
    } else if (level === CriticalityLevel.Dangerous) {
      result.dangerous.push(classified);
    } else {
      result.safe.push(classified);
    }
  }
  return result;
}

const ANNOUNCE_HELP =
  "announce it in schema-registry/announcements.json (coordinate, reason, date) once clients have been told; to retire a field, deprecate it first";

export function changeIssues(changes: SchemaChanges): Issue[] {
  return [
    ...changes.breaking.map((change) => issue("BREAKING_CHANGE", `Breaking change: ${change.message}`, [`  = help: ${ANNOUNCE_HELP}`])),
    ...changes.unannouncedEnumValues.map((change) =>
      issue("UNANNOUNCED_ENUM_VALUE", `Unannounced enum value: ${change.message} (clients read this enum and may not understand the value)`, [
        `  = help: ${ANNOUNCE_HELP}`,
      ]),
    ),
  ];
}

export function changeNotes(changes: SchemaChanges): Note[] {
  return [
    ...changes.announced.map((change): Note => {
      const announcement = change.announcement;
      const why = announcement ? ` (announced ${announcement.announced}: ${announcement.reason})` : "";
      return { level: "note", message: `announced change: ${change.message}${why}` };
    }),
    ...changes.dangerous.map((change): Note => ({ level: "warning", message: `dangerous change: ${change.message}` })),
  ];
}
