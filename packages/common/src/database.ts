// The process's one database client: created at start, checked once, handed down, closed on shutdown.
// The Prisma client is loaded here, when a process connects, not when this package is imported: the gateway
// imports @watchflixx/common and never holds a database client.
import type { PrismaClient } from "@watchflixx/db";

/** Connects and runs one query; an unreachable database stops start-up with one line naming DATABASE_URL. */
export async function connectDatabase(url: string, options: { maxConnections?: number } = {}): Promise<PrismaClient> {
  const { createPrismaClient } = await import("@watchflixx/db");
  const db = createPrismaClient(url, options);
  try {
    await db.$queryRaw`SELECT 1`;
    return db;
  } catch (error) {
    await db.$disconnect().catch(() => undefined);
    const { hostname, port, pathname } = new URL(url);
    const reason = error instanceof Error ? error.message.split("\n").filter(Boolean).at(-1) : String(error);
    throw new StartupError(`DATABASE_URL: cannot reach PostgreSQL at ${hostname}:${port || 5432}${pathname} (${reason})`);
  }
}

/** A start-up failure whose message is the whole story: printed as one line, no stack trace. */
export class StartupError extends Error {}
