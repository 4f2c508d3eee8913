// Per-request DataLoaders: one SQL statement per batch of ids, whatever the number of references.
import { listLoader, rowLoader } from "@watchflixx/common";
import type { PrismaClient } from "@watchflixx/db";
import type { DeviceRow } from "./entities/device.ts";
import type { ProfileRow } from "./entities/profile.ts";
import type { UserRow } from "./entities/user.ts";

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

export function createLoaders(db: PrismaClient) {
  return {
    user: rowLoader<string, UserRow>(
      (ids) => db.user.findMany({ where: { id: { in: [...ids] } }, select: USER_COLUMNS }),
      (row) => row.id,
    ),
    profile: rowLoader<string, ProfileRow>(
      (ids) => db.profile.findMany({ where: { id: { in: [...ids] } }, select: PROFILE_COLUMNS }),
      (row) => row.id,
    ),
    device: rowLoader<string, DeviceRow>(
      (ids) => db.device.findMany({ where: { id: { in: [...ids] } }, select: DEVICE_COLUMNS }),
      (row) => row.id,
    ),
    /** An account's profiles, oldest first (the order a profile picker shows them in). */
    profilesByUser: listLoader<string, ProfileRow>(
      (userIds) =>
        db.profile.findMany({
          where: { userId: { in: [...userIds] } },
          select: PROFILE_COLUMNS,
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        }),
      (row) => row.userId,
    ),
    /** An account's signed-in devices (signed-out ones are left out), most recently seen first. */
    activeDevicesByUser: listLoader<string, DeviceRow>(
      (userIds) =>
        db.device.findMany({
          where: { userId: { in: [...userIds] }, revokedAt: null },
          select: DEVICE_COLUMNS,
          orderBy: [{ lastSeenAt: "desc" }, { id: "asc" }],
        }),
      (row) => row.userId,
    ),
    userSettings: rowLoader(
      (userIds: readonly string[]) => db.userSettings.findMany({ where: { userId: { in: [...userIds] } } }),
      (row) => row.userId,
    ),
    profileSettings: rowLoader(
      (profileIds: readonly string[]) => db.profileSettings.findMany({ where: { profileId: { in: [...profileIds] } } }),
      (row) => row.profileId,
    ),
  };
}

export type AuthLoaders = ReturnType<typeof createLoaders>;
