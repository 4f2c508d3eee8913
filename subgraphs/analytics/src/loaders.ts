// Analytics owns no entity that others reference, so it needs no per-request loaders.
import type { PrismaClient } from "@watchflixx/db";

export type AnalyticsLoaders = Record<string, never>;

export function createLoaders(_db: PrismaClient): AnalyticsLoaders {
  return {};
}
