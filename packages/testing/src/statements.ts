// The SQL statement counter: a Prisma client whose pg connections record every statement they send, so a test
// proves "one query per batch" on the wire (what reaches PostgreSQL), not in our own loaders. Hand its `db` to
// a harness (`startTestSubgraph(module, { db })`, `startSupergraph({ db })`) as the subgraph's database.
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@watchflixx/db";

export interface SentStatement {
  text: string;
  values: unknown[];
}

export interface CountingDatabase {
  db: PrismaClient;
  /** SQL statements sent to PostgreSQL since the last reset (every query of every pooled connection). */
  statements(): SentStatement[];
  /** How many statements were sent since the last reset (also when their text is not kept). */
  count(): number;
  reset(): void;
  close(): Promise<void>;
}

export interface CountingOptions {
  maxConnections?: number;
  /** false: count only, keep no statement (a benchmark sends millions; `statements()` stays empty). Default true. */
  keepStatements?: boolean;
}

export function countingDatabase(url: string, options: CountingOptions = {}): CountingDatabase {
  const pool = new pg.Pool({ connectionString: url, ...(options.maxConnections ? { max: options.maxConnections } : {}) });
  // An idle connection ends with an error when its test database is dropped (terminated by the server): nothing to
  // report then, and without a listener pg's pool would throw it out of the test run. A query's own error still
  // reaches that query.
  pool.on("error", () => undefined);
  const keep = options.keepStatements ?? true;
  let sent: SentStatement[] = [];
  let count = 0;
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      count += 1;
      if (!keep) return query(...args);
      const [first, second] = args;
      if (typeof first === "string") sent.push({ text: first, values: Array.isArray(second) ? second : [] });
      else {
        const config = (first ?? {}) as { text?: string; values?: unknown[] };
        sent.push({ text: String(config.text), values: config.values ?? (Array.isArray(second) ? second : []) });
      }
      return query(...args);
    };
  });
  const db = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    db,
    statements: () => [...sent],
    count: () => count,
    reset: () => {
      sent = [];
      count = 0;
    },
    async close() {
      await db.$disconnect();
      await pool.end();
    },
  };
}
