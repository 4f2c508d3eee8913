// The rows the services hand out (the columns they select) and the loaders' batch queries: one SQL statement per
// batch of ids, whatever the number of references.
import type { DeviceType, PrismaClient, UserRole, MaturityRating } from "@watchflixx/db";

export const USER_COLUMNS = { id: true, email: true, name: true, role: true, createdAt: true } as const;
export const PROFILE_COLUMNS = {
  id: true,
  userId: true,
  name: true,
  avatarUrl: true,
  isKids: true,
  maturityRating: true,
  pinHash: true,
  version: true,
  createdAt: true,
} as const;
export const DEVICE_COLUMNS = {
  id: true,
  userId: true,
  name: true,
  type: true,
  lastSeenAt: true,
  createdAt: true,
  revokedAt: true,
} as const;

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  createdAt: Date;
}

/** `pinHash` never reaches a GraphQL field. */
export interface ProfileRow {
  id: string;
  userId: string;
  name: string;
  avatarUrl: string | null;
  isKids: boolean;
  maturityRating: MaturityRating;
  pinHash: string | null;
  version: number;
  createdAt: Date;
}

/** `userId` is what ownership checks compare. */
export interface DeviceRow {
  id: string;
  userId: string;
  name: string;
  type: DeviceType;
  lastSeenAt: Date;
  createdAt: Date;
  revokedAt: Date | null;
}

export function fetchUsers(db: PrismaClient, ids: readonly string[]): Promise<UserRow[]> {
  return db.user.findMany({ where: { id: { in: [...ids] } }, select: USER_COLUMNS });
}

export function fetchProfiles(db: PrismaClient, ids: readonly string[]): Promise<ProfileRow[]> {
  return db.profile.findMany({ where: { id: { in: [...ids] } }, select: PROFILE_COLUMNS });
}

export function fetchDevices(db: PrismaClient, ids: readonly string[]): Promise<DeviceRow[]> {
  return db.device.findMany({ where: { id: { in: [...ids] } }, select: DEVICE_COLUMNS });
}

/** The accounts' profiles, oldest first (the order a profile picker shows them in). */
export function fetchProfilesOfUsers(db: PrismaClient, userIds: readonly string[]): Promise<ProfileRow[]> {
  return db.profile.findMany({
    where: { userId: { in: [...userIds] } },
    select: PROFILE_COLUMNS,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
}

/** The accounts' signed-in devices (signed-out ones are left out), most recently seen first. */
export function fetchActiveDevicesOfUsers(db: PrismaClient, userIds: readonly string[]): Promise<DeviceRow[]> {
  return db.device.findMany({
    where: { userId: { in: [...userIds] }, revokedAt: null },
    select: DEVICE_COLUMNS,
    orderBy: [{ lastSeenAt: "desc" }, { id: "asc" }],
  });
}

export function fetchUserSettings(db: PrismaClient, userIds: readonly string[]) {
  return db.userSettings.findMany({ where: { userId: { in: [...userIds] } } });
}

export function fetchProfileSettings(db: PrismaClient, profileIds: readonly string[]) {
  return db.profileSettings.findMany({ where: { profileId: { in: [...profileIds] } } });
}
