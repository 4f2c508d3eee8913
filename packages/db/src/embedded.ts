// An embedded PostgreSQL for a machine that has none: PGlite (PostgreSQL compiled to WebAssembly) in this
// process, its data in a folder so it survives restarts, served over the PostgreSQL protocol by
// pglite-socket so that Prisma, pg, the migration engine and the seed reach it exactly as they reach a server.
//
// Limits, by construction: one process owns the data folder; queries run one at a time on this process's
// thread; a connection inside a transaction holds the whole database until it ends (other connections wait).
// pglite-socket (0.2.17) queues protocol messages, not statements: outside a transaction, the Parse/Bind/Execute
// messages of two connections can interleave on PGlite's single session ("bind message supplies 7 parameters,
// but prepared statement "" requires 5"). Its clients should therefore use one connection at a time.
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

/** PGlite holds one database; every client connects to it by this name. */
export const EMBEDDED_DATABASE_NAME = "postgres";

export interface EmbeddedDatabaseOptions {
  /** Where the data lives (created when missing); `memory://` for a throw-away database. */
  dataDir: string;
  host: string;
  port: number;
  /** Connections accepted at once (default 8); see above: use one at a time. */
  maxConnections?: number;
}

export interface EmbeddedDatabase {
  /** postgresql://postgres@host:port/postgres */
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  if (!options.dataDir.startsWith("memory://")) mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir);
  const server = new PGLiteSocketServer({ db, host: options.host, port: options.port, maxConnections: options.maxConnections ?? 8 });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  return {
    url: `postgresql://postgres@${options.host}:${options.port}/${EMBEDDED_DATABASE_NAME}`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
