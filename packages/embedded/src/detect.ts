// What this machine has: does something answer at DATABASE_URL and REDIS_URL, and are PostgreSQL and Redis
// installed (on the PATH) at all. Embedded mode stands in only for what is neither running nor installed: an
// installed server that is stopped should be started (scripts/services.sh), not silently replaced.
import { accessSync, constants } from "node:fs";
import net from "node:net";
import path from "node:path";

const POSTGRES_PROGRAMS = ["postgres", "pg_ctl", "pg_ctlcluster"];
const REDIS_PROGRAMS = ["redis-server"];

/** True when a TCP connection to host:port opens within `timeoutMs`. */
export function answers(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

function onPath(program: string, searchPath: string): boolean {
  return searchPath
    .split(path.delimiter)
    .filter(Boolean)
    .some((dir) => {
      try {
        accessSync(path.join(dir, program), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

export interface MachinePlan {
  /** `server`: the PostgreSQL at DATABASE_URL; `embedded`: PGlite in this process. */
  database: "server" | "embedded";
  /** `redis`: the Redis at REDIS_URL; `in-process`: every service in this process shares an in-memory bus. */
  bus: "redis" | "in-process";
  /** Whether something answered at DATABASE_URL (the embedded database then takes another port). */
  databasePortTaken: boolean;
}

/**
 * Forced (WATCHFLIXX_EMBEDDED=1, `--embedded`): everything embedded. Otherwise each part is embedded only when
 * nothing answers at its URL and its server is not installed; `null` when nothing needs to be.
 */
export async function planMachine(options: { databaseUrl: string; redisUrl: string; forced: boolean; searchPath: string }): Promise<MachinePlan | null> {
  const database = new URL(options.databaseUrl);
  const redis = new URL(options.redisUrl);
  const [databaseAnswers, redisAnswers] = await Promise.all([
    answers(database.hostname, Number(database.port || 5432)),
    answers(redis.hostname, Number(redis.port || 6379)),
  ]);
  if (options.forced) return { database: "embedded", bus: "in-process", databasePortTaken: databaseAnswers };
  const embedDatabase = !databaseAnswers && !POSTGRES_PROGRAMS.some((program) => onPath(program, options.searchPath));
  const embedBus = !redisAnswers && !REDIS_PROGRAMS.some((program) => onPath(program, options.searchPath));
  if (!embedDatabase && !embedBus) return null;
  return { database: embedDatabase ? "embedded" : "server", bus: embedBus ? "in-process" : "redis", databasePortTaken: databaseAnswers };
}
