// The composition root's parts: what start-up builds ONCE for a subgraph (its config, the database client, the
// logger, the bus and the rate limits) and hands to the subgraph's `createXSubgraph(deps)`, which builds its
// services from them. main.ts (runSubgraph), the test harnesses and embedded mode all build deps here, so a
// test starts a subgraph exactly as production does; they differ only in what they hand in (`GivenDeps`).
import type { PrismaClient } from "@watchflixx/db";
import { redisBus, type Bus, type SubscriptionPubSub } from "./bus.ts";
import type { BaseConfig } from "./config.ts";
import { connectDatabase } from "./database.ts";
import { createLogger, type Logger } from "./logger.ts";
import type { ProfileAccessCache } from "./profile-access.ts";
import type { RateLimits } from "./rate-limits.ts";
import type { ServiceName } from "./services.ts";

/** Everything a subgraph is built from. Services get what they need of it through their constructors. */
export interface SubgraphDeps<C extends BaseConfig = BaseConfig> {
  name: ServiceName;
  /** Parsed by the subgraph's own schema (`subgraphs/<name>/src/config.ts`, made with `defineSubgraphConfig`). */
  config: C;
  db: PrismaClient;
  logger: Logger;
  /** Redis, or in memory when every service runs in this process (bus.ts). */
  bus: Bus;
  /** The subgraph's rate limits, shared by its instances through the bus. */
  rateLimits: RateLimits;
  /**
   * The profile-access cache (profile-access.ts), on the bus, for this database: `resolveViewerProfile` reads it
   * outside transactions; auth writes it after each committed profile change.
   */
  profileAccess: ProfileAccessCache;
  /** The pub/sub of GraphQL subscriptions: one per subgraph, opened on first call, closed with the deps. */
  subscriptionPubSub(): SubscriptionPubSub;
}

/** What a caller may hand in instead of having it built: its own (and closes it itself). */
export interface GivenDeps {
  /** Default: connects to config.DATABASE_URL (and disconnects on close). */
  db?: PrismaClient;
  /** Default: Redis at config.REDIS_URL. Embedded mode hands in its in-process bus. */
  bus?: Bus;
  /** Default: `createLogger(name, config.LOG_LEVEL)`. */
  logger?: Logger;
}

export interface BuiltDeps<C extends BaseConfig> {
  deps: SubgraphDeps<C>;
  /** Closes what was built here (not what was given), last to first. */
  close(): Promise<void>;
}

export async function buildSubgraphDeps<C extends BaseConfig>(name: ServiceName, config: C, given: GivenDeps = {}): Promise<BuiltDeps<C>> {
  const closing: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const step of closing.splice(0).reverse()) await step();
  };
  try {
    const logger = given.logger ?? createLogger(name, config.LOG_LEVEL);
    const db = given.db ?? (await connectDatabase(config.DATABASE_URL));
    if (!given.db) closing.push(() => db.$disconnect());
    const bus = given.bus ?? redisBus(config.REDIS_URL, logger);
    if (!given.bus) closing.push(() => bus.close());
    const scope = await databaseScope(db, config);
    const limits = await bus.startRateLimits({
      name: `${name}-rate-limits`,
      scope,
      overrides: config.RATE_LIMITS,
      logger,
      whileDown: "rate limits are counted per instance until it returns",
    });
    closing.push(limits.close);
    const profileAccess = bus.openProfileAccess({ scope, name: `${name}-profile-access`, logger });
    closing.push(profileAccess.close);
    let pubSub: SubscriptionPubSub | undefined;
    const subscriptionPubSub = () => {
      if (!pubSub) {
        const opened = (pubSub = bus.createPubSub());
        closing.push(() => opened.close());
      }
      return pubSub;
    };
    return { deps: { name, config, db, logger, bus, rateLimits: limits.rateLimits, profileAccess: profileAccess.cache, subscriptionPubSub }, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * What the subgraph's shared state in Redis (rate limits, the profile-access cache) is scoped by: the name of the
 * database it serves (one environment, or one test database), so every instance of the environment shares it and
 * other environments never do.
 */
async function databaseScope(db: PrismaClient, config: BaseConfig): Promise<string> {
  // The database the client really serves (a test harness hands one that DATABASE_URL does not name); a database
  // that does not answer must not hold the start-up (then /ready says so): DATABASE_URL's name stands in.
  const configured = decodeURIComponent(new URL(config.DATABASE_URL).pathname.slice(1));
  return Promise.race([
    db.$queryRaw<{ database: string }[]>`SELECT current_database() AS database`.then((rows) => rows[0]?.database ?? configured),
    new Promise<string>((resolve) => setTimeout(() => resolve(configured), 2_000).unref()),
  ]).catch(() => configured);
}

/**
 * Deps for building a subgraph only to read its schema (the registry prints each subgraph's SDL this way): no
 * database, bus or rate limits, and any use of them throws. It works because building a subgraph does no I/O:
 * `createXSubgraph(deps)` only wires services to resolvers; the services touch deps when they are called.
 */
export function schemaOnlyDeps<C extends BaseConfig>(name: ServiceName, config: C): SubgraphDeps<C> {
  const unavailable = <T extends object>(what: string): T =>
    new Proxy({} as T, {
      get(_target, property) {
        throw new Error(`${name}: ${what}.${String(property)} used while building the subgraph for its schema only (building must do no I/O)`);
      },
    });
  return {
    name,
    config,
    logger: createLogger(name, "warn"),
    db: unavailable<PrismaClient>("db"),
    bus: unavailable<Bus>("bus"),
    rateLimits: unavailable<RateLimits>("rateLimits"),
    profileAccess: unavailable<ProfileAccessCache>("profileAccess"),
    subscriptionPubSub: () => unavailable<SubscriptionPubSub>("pubSub"),
  };
}
