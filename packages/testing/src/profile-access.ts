// For tests that write `profiles` rows straight through Prisma instead of through auth's mutations (which write the
// profile-access cache through, @watchflixx/common's profile-access.ts): drop the cached entries of those
// profiles, so the subgraphs' next read goes to the row.
import { Redis } from "ioredis";
import { profileAccessKey } from "@watchflixx/common";
import type { PrismaClient } from "@watchflixx/db";
import { testGatewayConfig } from "./index.ts";

/** Drops the profile-access entries of these profiles of `db`'s database (the scope the subgraphs use). */
export async function forgetCachedProfiles(db: PrismaClient, profileIds: readonly string[], redisUrl = testGatewayConfig().REDIS_URL): Promise<void> {
  if (profileIds.length === 0) return;
  const [{ database } = { database: "" }] = await db.$queryRaw<{ database: string }[]>`SELECT current_database() AS database`;
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await redis.del(...profileIds.map((id) => profileAccessKey(database, id)));
  } finally {
    redis.disconnect();
  }
}
