// Embedded mode: the whole supergraph in ONE Node.js process, for a machine with Node.js alone. Each subgraph
// still listens on its own port and the gateway composes them as usual; what is missing on the machine runs
// inside the process: PostgreSQL as PGlite (data in .data/, served over the PostgreSQL protocol so that the
// same Prisma client, migrations and seed work), and an in-memory bus instead of Redis (bus.ts).
// For one machine only: one process, one CPU core for the database, no second instance can join.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import {
  baseConfigSchema,
  connectDatabase,
  ConfigurationError,
  createLogger,
  EMBEDDED_IN_PRODUCTION,
  inProcessBus,
  launchSubgraph,
  loadConfigOrExit,
  parseConfig,
  repositoryRoot,
  StartupError,
  type Bus,
  type SubgraphConfig,
  type SubgraphModule,
} from "@watchflixx/common";
import type { PrismaClient } from "@watchflixx/db";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "@watchflixx/db/embedded";
import { applyMigrations } from "@watchflixx/db/migrate";
import { seed } from "@watchflixx/db/seed";
import { createGateway, loadGatewayConfig, type RunningGateway } from "@watchflixx/router";
import { authSubgraph, type AuthConfig } from "@watchflixx/auth";
import { contentSubgraph, type ContentConfig } from "@watchflixx/content";
import { streamingSubgraph, type StreamingConfig } from "@watchflixx/streaming";
import { paymentSubgraph, type PaymentConfig } from "@watchflixx/payment";
import { socialSubgraph, type SocialConfig } from "@watchflixx/social";
import { analyticsSubgraph, type AnalyticsConfig } from "@watchflixx/analytics";
import { notificationSubgraph, type NotificationConfig } from "@watchflixx/notification";
import { planMachine, type MachinePlan } from "./detect.ts";
import { embeddedEnvironment, useDatabaseUrl } from "./config.ts";

export { planMachine, type MachinePlan } from "./detect.ts";

/** The subgraphs in start order, built as their own main.ts builds them. */
const SUBGRAPHS: SubgraphModule<SubgraphConfig, unknown>[] = [
  authSubgraph as SubgraphModule<AuthConfig, unknown>,
  contentSubgraph as SubgraphModule<ContentConfig, unknown>,
  streamingSubgraph as SubgraphModule<StreamingConfig, unknown>,
  paymentSubgraph as SubgraphModule<PaymentConfig, unknown>,
  socialSubgraph as SubgraphModule<SocialConfig, unknown>,
  analyticsSubgraph as SubgraphModule<AnalyticsConfig, unknown>,
  notificationSubgraph as SubgraphModule<NotificationConfig, unknown>,
] as SubgraphModule<SubgraphConfig, unknown>[];

export interface EmbeddedOptions {
  /** Where PGlite keeps its data (WATCHFLIXX_DATA_DIR, default <repository>/.data). */
  dataDir: string;
  /** Called with each start-up stage and how long it took (ms). */
  onStage?: (stage: string, ms: number) => void;
}

export interface RunningEmbedded {
  plan: MachinePlan;
  /** The one line said at start: what runs embedded, and that it is for one machine only. */
  notice: string;
  gatewayUrl: string;
  databaseUrl: string;
  stop(): Promise<void>;
}

/**
 * Decides what to embed: `plan` null when PostgreSQL and Redis are both there (run the services as usual).
 * Throws a ConfigurationError for embedded mode in production (asked for, or as a fallback).
 */
export async function embeddedPlanFor(
  env: Record<string, string | undefined>,
  forcedByFlag = false,
  searchPath = env.PATH ?? "",
  say: (line: string) => void = console.log,
): Promise<{ plan: MachinePlan | null; dataDir: string }> {
  const config = parseConfig(baseConfigSchema, env);
  const forced = forcedByFlag || config.WATCHFLIXX_EMBEDDED;
  const dataDir = path.resolve(repositoryRoot, config.WATCHFLIXX_DATA_DIR);
  // parseConfig has refused WATCHFLIXX_EMBEDDED=1 in production; the flag is refused too, and there is no fallback.
  if (config.NODE_ENV === "production") {
    if (forced) throw new ConfigurationError(EMBEDDED_IN_PRODUCTION);
    return { plan: null, dataDir };
  }
  await awaitPreviousRun(dataDir, say);
  return { plan: await planMachine({ databaseUrl: config.DATABASE_URL, redisUrl: config.REDIS_URL, forced, searchPath }), dataDir };
}

export function describePlan(plan: MachinePlan, dataDir: string): string {
  const parts = [
    plan.database === "embedded" ? `PostgreSQL (PGlite, data in ${path.relative(process.cwd(), dataDir) || dataDir})` : null,
    plan.bus === "in-process" ? "the bus (in-memory pub/sub, revocations, event wake-ups and rate limits instead of Redis)" : null,
  ].filter(Boolean);
  return `embedded mode: ${parts.join(" and ")} and every service run in this one process; for one machine only (development, demos), never production`;
}

const LOCK_FILE = "embedded.pid";
/** Written after the pid in the lock file once a run has begun to stop. */
const STOPPING = "stopping";

/** The live process other than this one that holds the data folder (its lock file), if any. */
function ownerOf(dataDir: string): { pid: number; stopping: boolean } | null {
  let text: string;
  try {
    text = readFileSync(path.join(dataDir, LOCK_FILE), "utf8");
  } catch {
    return null;
  }
  const [pidText, state] = text.trim().split(/\s+/);
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: alive, another user's. ESRCH: a run that was killed left its lock behind.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return null;
  }
  return { pid, stopping: state === STOPPING };
}

/**
 * A previous run on this data folder that is still stopping (Ctrl-C gives the prompt back before it has closed
 * the database) still listens on the database's port, where it would pass for a PostgreSQL server that then
 * hangs up: waits until it has exited. One that is running is refused.
 */
export async function awaitPreviousRun(dataDir: string, say: (line: string) => void, timeoutMs = 60_000): Promise<void> {
  let owner = ownerOf(dataDir);
  if (!owner) return;
  if (!owner.stopping) throw new StartupError(`${dataDir} is in use by another embedded WatchFlixx (pid ${owner.pid}); stop it first`);
  say(`embedded: waiting for the previous run (pid ${owner.pid}) to finish stopping`);
  const deadline = Date.now() + timeoutMs;
  while ((owner = ownerOf(dataDir))) {
    if (Date.now() > deadline) throw new StartupError(`the previous embedded WatchFlixx (pid ${owner.pid}) has not stopped within ${timeoutMs / 1000} s; stop it first`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Takes the data folder for this run (PGlite's files have one owner); refuses it while another run holds it. */
function lockDataDir(dataDir: string): { stopping(): void; release(): void } {
  mkdirSync(dataDir, { recursive: true });
  const owner = ownerOf(dataDir);
  if (owner) throw new StartupError(`${dataDir} is in use by another embedded WatchFlixx (pid ${owner.pid}); stop it first`);
  const lock = path.join(dataDir, LOCK_FILE);
  writeFileSync(lock, String(process.pid));
  return {
    stopping: () => writeFileSync(lock, `${process.pid} ${STOPPING}`),
    release: () => rmSync(lock, { force: true }),
  };
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function timed<T>(stage: string, onStage: EmbeddedOptions["onStage"], work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  onStage?.(stage, Math.round(performance.now() - started));
  return result;
}

/**
 * Starts what `plan` embeds, migrates and (when empty) seeds the database, then every subgraph and the gateway
 * in this process. Sets DATABASE_URL in process.env to the embedded database's, so that every configuration
 * module reads it as usual.
 */
export async function startEmbedded(plan: MachinePlan, options: EmbeddedOptions): Promise<RunningEmbedded> {
  const logger = createLogger("embedded");
  const stops: (() => Promise<void>)[] = [];
  let lock: ReturnType<typeof lockDataDir> | undefined;
  const stopAll = async () => {
    // From now until the lock is gone, a new start waits for this run rather than take its port for a server.
    if (stops.length > 0) lock?.stopping();
    for (const stop of stops.splice(0).reverse()) await stop().catch((error: unknown) => logger.warn("stopping", error));
  };
  try {
    // Taken whatever is embedded: the lock also tells a new start that this run still holds its ports.
    const taken = lockDataDir(options.dataDir);
    lock = taken;
    stops.push(async () => taken.release());
    let databaseUrl = parseConfig(baseConfigSchema, embeddedEnvironment()).DATABASE_URL;
    if (plan.database === "embedded") {
      const configured = new URL(databaseUrl);
      const host = "127.0.0.1";
      // Where DATABASE_URL points when that port is free (nothing answered there), else any free port.
      const port = plan.databasePortTaken ? await freePort(host) : Number(configured.port || 5432);
      const embedded: EmbeddedDatabase = await timed("embedded PostgreSQL", options.onStage, () =>
        startEmbeddedDatabase({ dataDir: path.join(options.dataDir, "pglite"), host, port }),
      );
      stops.push(() => embedded.stop());
      databaseUrl = embedded.url;
      useDatabaseUrl(databaseUrl);
    }
    const applied = await timed("migrations", options.onStage, () => applyMigrations({ databaseUrl, createIfMissing: true }));
    if (applied.length) logger.info(`applied ${applied.length} migration(s)`);
    // The embedded database is one PostgreSQL session behind pglite-socket, which keeps a connection's messages
    // together only inside a transaction: two connections' statements could interleave mid-protocol. One
    // connection for the whole process (the pool queues the rest) keeps every statement whole.
    const db: PrismaClient = await connectDatabase(databaseUrl, plan.database === "embedded" ? { maxConnections: 1 } : {});
    stops.push(() => db.$disconnect());
    const [{ plans } = { plans: 0n }] = await db.$queryRaw<{ plans: bigint }[]>`SELECT count(*) AS plans FROM plans`;
    if (Number(plans) === 0) {
      const summary = await timed("seed", options.onStage, () => seed(db));
      logger.info(`seeded ${summary.titles} titles and the demo accounts`);
    }

    const bus: Bus | undefined = plan.bus === "in-process" ? inProcessBus() : undefined;
    if (bus) stops.push(() => bus.close());
    const notice = describePlan(plan, options.dataDir);

    await timed("subgraphs", options.onStage, () =>
      Promise.all(
        SUBGRAPHS.map(async (subgraph) => {
          // As runSubgraph starts it (its own config schema, deps built once), with this process's database and bus.
          const config = loadConfigOrExit(subgraph.configSchema);
          const running = await launchSubgraph(subgraph, {
            config,
            given: { db, bus },
            port: config.port,
            host: config.host,
            heartbeat: true,
            eventRelay: true,
          });
          stops.push(() => running.stop());
        }),
      ),
    );
    const gatewayConfig = loadGatewayConfig();
    const gateway: RunningGateway = await timed("gateway", options.onStage, () =>
      createGateway({ config: gatewayConfig, logger: createLogger("gateway", gatewayConfig.LOG_LEVEL), ...(bus ? { bus } : {}) }),
    );
    stops.push(() => gateway.stop());
    return { plan, notice, gatewayUrl: gateway.url, databaseUrl, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
