// @watchflixx/db: the generated Prisma client (models, enums, `Prisma` namespace), a factory that builds it on
// the PostgreSQL driver adapter, and the password hashing the seed and the auth subgraph share.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client.ts";

export * from "./generated/prisma/client.ts";
export { hashPassword, verifyPassword, passwordNeedsRehash } from "./password.ts";

/**
 * Builds a Prisma client over `@prisma/adapter-pg`. Create one per process and hand it down; call
 * `$disconnect()` on shutdown (the pg pool otherwise keeps Node alive for a while). `maxConnections` caps its
 * pool (pg's default: 10); the embedded database is used over exactly one.
 */
export function createPrismaClient(connectionString: string, options: { maxConnections?: number } = {}): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, ...(options.maxConnections ? { max: options.maxConnections } : {}) }) });
}
