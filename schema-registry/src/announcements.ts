// schema-registry/announcements.json: the changes that break (or may surprise) clients and that the team has
// announced to them. A breaking change, or a new value of an enum that clients read, passes the check only
// when its schema coordinate is listed here with a reason and the date it was announced. The normal path for
// removing a field is a deprecation period first (`@deprecated`, which is not a breaking change), then an
// announcement of the removal.
import { existsSync, readFileSync } from "node:fs";

export interface Announcement {
  /** Schema coordinate: `Type`, `Type.field`, `Type.field(argument:)` (or `Type.field.argument`), `Enum.VALUE`. */
  coordinate: string;
  /** Optional: the kind of change announced (`FIELD_REMOVED`, `ENUM_VALUE_ADDED`, ...); any kind when omitted. */
  change?: string;
  reason: string;
  /** The day clients were told, YYYY-MM-DD. */
  announced: string;
}

export interface AnnouncementsFile {
  announcements: Announcement[];
}

export class AnnouncementsError extends Error {}

/** `Type.field(argument:)` → `Type.field.argument`, the path form the schema diff reports. */
export function normalizeCoordinate(coordinate: string): string {
  return coordinate.trim().replace(/\((\w+):\)$/, ".$1");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function parseAnnouncements(text: string, source = "announcements.json"): Announcement[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new AnnouncementsError(`${source} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isRecord(data) || !Array.isArray(data.announcements)) {
    throw new AnnouncementsError(`${source} must be an object with an "announcements" array`);
  }
  return data.announcements.map((entry: unknown, index: number) => {
    const where = `${source}: announcements[${index}]`;
    if (!isRecord(entry)) throw new AnnouncementsError(`${where} must be an object`);
    const { coordinate, change, reason, announced } = entry;
    if (typeof coordinate !== "string" || !/^[_A-Za-z]\w*(\.[_A-Za-z]\w*(\([_A-Za-z]\w*:\)|\.[_A-Za-z]\w*)?)?$/.test(coordinate.trim())) {
      throw new AnnouncementsError(`${where}.coordinate must be a schema coordinate such as "Content.title" or "Query.browse(first:)"`);
    }
    if (change !== undefined && (typeof change !== "string" || !/^[A-Z_]+$/.test(change))) {
      throw new AnnouncementsError(`${where}.change must be a change type such as "FIELD_REMOVED"`);
    }
    if (typeof reason !== "string" || reason.trim() === "") throw new AnnouncementsError(`${where}.reason must say why`);
    if (typeof announced !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(announced) || Number.isNaN(Date.parse(announced))) {
      throw new AnnouncementsError(`${where}.announced must be the date clients were told, YYYY-MM-DD`);
    }
    return { coordinate: coordinate.trim(), ...(change === undefined ? {} : { change }), reason, announced };
  });
}

export function readAnnouncements(file: string): Announcement[] {
  if (!existsSync(file)) return [];
  return parseAnnouncements(readFileSync(file, "utf8"), file);
}

/** The announcement that covers a change at `path` of type `changeType`, if any. */
export function findAnnouncement(announcements: Announcement[], path: string, changeType: string): Announcement | undefined {
  const target = normalizeCoordinate(path);
  return announcements.find(
    (announcement) => normalizeCoordinate(announcement.coordinate) === target && (announcement.change === undefined || announcement.change === changeType),
  );
}
