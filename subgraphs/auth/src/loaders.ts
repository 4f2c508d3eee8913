// Per-request DataLoaders: one SQL statement per batch of ids (the queries are in services/batch-queries.ts).
import { listLoader, rowLoader } from "@watchflixx/common";
import type { PrismaClient } from "@watchflixx/db";
import {
  fetchActiveDevicesOfUsers,
  fetchDevices,
  fetchProfileSettings,
  fetchProfiles,
  fetchProfilesOfUsers,
  fetchUserSettings,
  fetchUsers,
} from "./services/batch-queries.ts";

export function createLoaders(db: PrismaClient) {
  return {
    user: rowLoader((ids: readonly string[]) => fetchUsers(db, ids), (row) => row.id),
    profile: rowLoader((ids: readonly string[]) => fetchProfiles(db, ids), (row) => row.id),
    device: rowLoader((ids: readonly string[]) => fetchDevices(db, ids), (row) => row.id),
    profilesByUser: listLoader((userIds: readonly string[]) => fetchProfilesOfUsers(db, userIds), (row) => row.userId),
    activeDevicesByUser: listLoader((userIds: readonly string[]) => fetchActiveDevicesOfUsers(db, userIds), (row) => row.userId),
    userSettings: rowLoader((userIds: readonly string[]) => fetchUserSettings(db, userIds), (row) => row.userId),
    profileSettings: rowLoader((profileIds: readonly string[]) => fetchProfileSettings(db, profileIds), (row) => row.profileId),
  };
}

export type AuthLoaders = ReturnType<typeof createLoaders>;
