// Configuration, parsed and checked once at start-up. A bad value stops the process with one line that
// names the variable; nothing else in the code reads process.env.
import { existsSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { DEFAULT_DATABASE_URL } from "@watchflixx/db/config";
import { DEFAULT_INPUT_MAX_STRING_LENGTH } from "./input-text.ts";
import { DEFAULT_LIST_SIZES, DEFAULT_OPERATION_LIMITS } from "./operation-limits.ts";
import { parseRateLimitOverrides } from "./rate-limits.ts";
import { DEFAULT_REDIS_NAMESPACE, REDIS_NAMESPACE_PATTERN, useRedisNamespace } from "./redis-keys.ts";
import { microservicesConfig, repositoryRoot, SERVICE_NAMES, type ServiceName } from "./services.ts";

/**
 * Loads the repository's `.env` into process.env when there is one. Variables already set in the
 * environment win, so a deployment's own settings are never overridden by a stray file.
 */
export function loadDotEnv(file = path.join(repositoryRoot, ".env")): void {
  if (existsSync(file)) process.loadEnvFile(file);
}

const DEV_GATEWAY_SECRET = "dev-only-gateway-secret-change-me";
const DEV_JWT_SECRET = "dev-only-jwt-secret-change-me";

function urlWithProtocols(protocols: string[], example: string) {
  return z.string().refine(
    (value) => {
      try {
        const url = new URL(value);
        return protocols.includes(url.protocol) && url.hostname !== "";
      } catch {
        return false;
      }
    },
    { message: `must be a URL like ${example}`, abort: true },
  );
}

const postgresUrl = urlWithProtocols(["postgresql:", "postgres:"], "postgresql://user@host:5432/database").refine(
  (value) => URL.canParse(value) && new URL(value).pathname.length > 1,
  { message: "must name a database (postgresql://user@host:5432/database)", abort: true },
);

const port = z.coerce.number({ message: "must be a port number (1-65535)" }).int().min(1, "must be a port number (1-65535)").max(65535, "must be a port number (1-65535)");

const positiveInt = (fallback: number) =>
  z.coerce.number({ message: "must be a whole number above 0" }).int("must be a whole number above 0").min(1, "must be a whole number above 0").default(fallback);

/** `Type.field=size` pairs, comma-separated, merged over DEFAULT_LIST_SIZES. */
const listSizes = z
  .string()
  .refine((value) => value.split(",").every((pair) => pair.trim() === "" || /^\s*\w+\.\w+\s*=\s*[1-9]\d*\s*$/.test(pair)), {
    message: "must be comma-separated Type.field=size pairs, e.g. Content.seasons=20,Season.episodes=30",
  })
  .transform((value) => ({
    ...DEFAULT_LIST_SIZES,
    ...Object.fromEntries(
      value
        .split(",")
        .filter((pair) => pair.trim() !== "")
        .map((pair) => pair.split("=").map((part) => part.trim()))
        .map(([field, size]) => [field, Number(size)]),
    ),
  }))
  .default(DEFAULT_LIST_SIZES);

/** Operation limits and input text limits, the same at the gateway and in every subgraph (README: Operation limits). */
function operationLimitsShape() {
  const limits = DEFAULT_OPERATION_LIMITS;
  return {
    OPERATION_MAX_DEPTH: positiveInt(limits.maxDepth),
    OPERATION_MAX_ALIASES: z.coerce.number({ message: "must be a whole number" }).int().min(0).default(limits.maxAliases),
    OPERATION_MAX_ROOT_FIELDS: positiveInt(limits.maxRootFields),
    OPERATION_MAX_TOKENS: positiveInt(limits.maxTokens),
    OPERATION_MAX_COST: positiveInt(limits.maxCost),
    OPERATION_LIST_SIZE: positiveInt(limits.defaultListSize),
    OPERATION_LIST_SIZES: listSizes,
    INPUT_MAX_STRING_LENGTH: positiveInt(DEFAULT_INPUT_MAX_STRING_LENGTH),
  };
}

/** What every service (subgraphs and gateway) reads. */
export const baseConfigSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: postgresUrl.default(DEFAULT_DATABASE_URL),
  REDIS_URL: urlWithProtocols(["redis:", "rediss:"], "redis://127.0.0.1:6379").default("redis://127.0.0.1:6379"),
  /** Shared by the gateway and subgraphs to sign and check forwarded identities. */
  GATEWAY_SHARED_SECRET: z.string().min(16, "must be at least 16 characters").default(DEV_GATEWAY_SECRET),
  /** Signs access tokens (auth) and verifies them (gateway). */
  JWT_ACCESS_SECRET: z.string().min(16, "must be at least 16 characters").default(DEV_JWT_SECRET),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  ...operationLimitsShape(),
  /** Overrides of the rate limits' defaults (rate-limits.ts): `name=points/seconds,...`. */
  RATE_LIMITS: z
    .string()
    .default("")
    .transform((value, context) => {
      const parsed = parseRateLimitOverrides(value);
      if (typeof parsed !== "string") return parsed;
      context.addIssue({ code: "custom", message: parsed });
      return z.NEVER;
    }),
  /** Moves a whole environment: the gateway listens on it, each subgraph on it + its offset (see environmentPorts). */
  WATCHFLIXX_PORT_BASE: port.optional(),
  /**
   * Embedded mode (packages/embedded): every service in one process with an embedded PostgreSQL and an in-process
   * bus, for one machine. `1` forces it (as `pnpm start --embedded` does); refused in production.
   */
  WATCHFLIXX_EMBEDDED: z
    .enum(["", "0", "1", "false", "true"], { message: "must be 1 or 0" })
    .default("")
    .transform((value) => value === "1" || value === "true"),
  /** Embedded mode: where the embedded PostgreSQL keeps its data (relative to the repository). */
  WATCHFLIXX_DATA_DIR: z.string().min(1).default(".data"),
  /** First segment of every Redis key and channel; default `watchflixx` (see redisNamespaceOf). */
  REDIS_NAMESPACE: z
    .string()
    .regex(REDIS_NAMESPACE_PATTERN, "must be letters, digits, '.', '_' or '-', e.g. watchflixx-staging")
    .optional(),
});

export type BaseConfig = z.infer<typeof baseConfigSchema>;

export class ConfigurationError extends Error {}

/** Why production never runs embedded: one process, one machine, a single-threaded database. */
export const EMBEDDED_IN_PRODUCTION =
  "WATCHFLIXX_EMBEDDED: embedded mode (one process, embedded PostgreSQL, in-process bus) is for one machine only and is refused with NODE_ENV=production; give DATABASE_URL a PostgreSQL server and REDIS_URL a Redis";

/** Parses `env` with `schema`; throws one ConfigurationError naming the first bad variable. */
export function parseConfig<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    const variable = issue?.path.join(".") || "configuration";
    throw new ConfigurationError(`${variable} ${issue?.message ?? "is invalid"}`);
  }
  const config = result.data as z.infer<S> & Partial<BaseConfig>;
  if (config.NODE_ENV === "production") {
    if (config.GATEWAY_SHARED_SECRET === DEV_GATEWAY_SECRET) throw new ConfigurationError("GATEWAY_SHARED_SECRET must be set in production");
    if (config.JWT_ACCESS_SECRET === DEV_JWT_SECRET) throw new ConfigurationError("JWT_ACCESS_SECRET must be set in production");
    if (config.WATCHFLIXX_EMBEDDED) throw new ConfigurationError(EMBEDDED_IN_PRODUCTION);
  }
  return config;
}

const namespaceSchema = baseConfigSchema.pick({ REDIS_NAMESPACE: true, WATCHFLIXX_PORT_BASE: true });

/** At start-up: parse, or print `Configuration error: <VARIABLE> <problem>` and exit. Sets the process's Redis namespace. */
export function loadConfigOrExit<S extends z.ZodType>(schema: S, env: Record<string, string | undefined> = process.env): z.infer<S> {
  try {
    const config = parseConfig(schema, env);
    // The namespace comes from the environment whatever the schema: a subgraph's own extra settings (social's
    // party size, notification's email) are loaded with a schema of their own and must not reset it.
    useRedisNamespace(redisNamespaceOf(parseConfig(namespaceSchema, env)));
    return config;
  } catch (error) {
    if (error instanceof ConfigurationError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

function portVariable(service: ServiceName): string {
  return `${service.toUpperCase()}_PORT`;
}

function urlVariable(service: ServiceName): string {
  return `${service.toUpperCase()}_URL`;
}

/** Where a subgraph listens unless SUBGRAPH_HOST says otherwise. */
export const DEFAULT_SUBGRAPH_HOST = "127.0.0.1";

/**
 * The Redis namespace: REDIS_NAMESPACE, else `watchflixx` (today's key names) when the environment is on the
 * default ports, else `watchflixx-<port base>`: moving an environment's ports also moves its Redis keys.
 */
export function redisNamespaceOf(config: Partial<Pick<BaseConfig, "REDIS_NAMESPACE" | "WATCHFLIXX_PORT_BASE">>): string {
  if (config.REDIS_NAMESPACE) return config.REDIS_NAMESPACE;
  const base = config.WATCHFLIXX_PORT_BASE;
  return base === undefined || base === microservicesConfig().gateway.port ? DEFAULT_REDIS_NAMESPACE : `${DEFAULT_REDIS_NAMESPACE}-${base}`;
}

/**
 * An environment's ports: `<SERVICE>_PORT` / `GATEWAY_PORT` when set, else WATCHFLIXX_PORT_BASE plus each
 * service's offset in microservices.config.json (gateway 3000, auth 3001: base 4000 gives 4000, 4001, ...).
 */
export interface EnvironmentPorts {
  gateway: number;
  services: Record<ServiceName, number>;
}

/** The ports from parsed variables (a config object holding any of the port variables). */
export function environmentPortsOf(config: Record<string, unknown>): EnvironmentPorts {
  const services = microservicesConfig();
  const base = (config.WATCHFLIXX_PORT_BASE as number | undefined) ?? services.gateway.port;
  const shift = (defaultPort: number) => base + (defaultPort - services.gateway.port);
  return {
    gateway: (config.GATEWAY_PORT as number | undefined) ?? base,
    services: Object.fromEntries(
      SERVICE_NAMES.map((service) => [service, (config[portVariable(service)] as number | undefined) ?? shift(services.services[service].port)]),
    ) as Record<ServiceName, number>,
  };
}

/** The subgraphs' port variables and the base (all optional; see EnvironmentPorts). */
function subgraphPortsShape() {
  const shape: Record<string, z.ZodOptional<typeof port>> = { WATCHFLIXX_PORT_BASE: port.optional() };
  for (const service of SERVICE_NAMES) shape[portVariable(service)] = port.optional();
  return shape;
}

/** Every port variable: the subgraphs', the gateway's and the base. */
export function portsSchema() {
  return z.object({ ...subgraphPortsShape(), GATEWAY_PORT: port.optional() });
}

/** For the scripts that start and probe services: the ports the environment's variables give. */
export function environmentPorts(env: Record<string, string | undefined> = process.env): EnvironmentPorts {
  return environmentPortsOf(parseConfig(portsSchema(), env));
}

/** A subgraph's configuration: the base plus its port (`<SERVICE>_PORT`, else from WATCHFLIXX_PORT_BASE). */
export function subgraphConfigSchema(service: ServiceName) {
  return baseConfigSchema.extend({
    [portVariable(service)]: port.optional(),
    SUBGRAPH_HOST: z.string().trim().min(1, "must be an interface address such as 127.0.0.1 or 0.0.0.0").default(DEFAULT_SUBGRAPH_HOST),
  });
}

export interface SubgraphConfig extends BaseConfig {
  port: number;
  host: string;
}

/** A subgraph's own settings as parsed (none: nothing to add). */
type OwnSettings<Own extends z.ZodRawShape> = keyof Own extends never ? unknown : z.output<z.ZodObject<Own>>;

/**
 * The one way a subgraph declares its configuration (`subgraphs/<name>/src/config.ts`): the base, its port and
 * host, and its own settings (`own`: zod fields named after their variables). Parsed, it is a SubgraphConfig
 * plus those settings.
 */
export function defineSubgraphConfig<Own extends z.ZodRawShape = Record<never, never>>(service: ServiceName, own: Own = {} as Own) {
  return subgraphConfigSchema(service)
    .extend(own)
    .transform((config) => {
      // The port variable's name is computed, which hides the fields' types from zod: they are these.
      const parsed = config as unknown as BaseConfig & OwnSettings<Own> & { SUBGRAPH_HOST: string };
      return Object.assign(parsed, { port: environmentPortsOf(config).services[service], host: parsed.SUBGRAPH_HOST });
    });
}

/** The parsed configuration a `defineSubgraphConfig` schema gives (so a subgraph needs no zod import for it). */
export type ConfigOf<S extends z.ZodType> = z.output<S>;

export function loadSubgraphConfig(service: ServiceName, env: Record<string, string | undefined> = process.env): SubgraphConfig {
  return loadConfigOrExit(defineSubgraphConfig(service), env);
}

/** Where the gateway finds each subgraph: `<SERVICE>_URL`, else http://127.0.0.1:<the subgraph's port>/graphql. */
export function subgraphUrlsSchema() {
  const shape: Record<string, z.ZodType<string | number | undefined>> = { ...subgraphPortsShape() };
  for (const service of SERVICE_NAMES) {
    shape[urlVariable(service)] = urlWithProtocols(["http:", "https:"], "http://127.0.0.1:3001/graphql").optional();
  }
  return z.object(shape);
}

export function subgraphUrls(config: Record<string, unknown>): Record<ServiceName, string> {
  const ports = environmentPortsOf(config);
  return Object.fromEntries(
    SERVICE_NAMES.map((service) => [service, (config[urlVariable(service)] as string | undefined) ?? `http://127.0.0.1:${ports.services[service]}/graphql`]),
  ) as Record<ServiceName, string>;
}

/**
 * The subgraph URLs that differ from the defaults the supergraph file records: set explicitly, or following a
 * port that moved. In static mode they replace the file's URLs.
 */
export function movedSubgraphUrls(config: Record<string, unknown>): Partial<Record<ServiceName, string>> {
  const urls = subgraphUrls(config);
  const defaults = microservicesConfig().services;
  return Object.fromEntries(
    SERVICE_NAMES.filter((service) => config[urlVariable(service)] !== undefined || environmentPortsOf(config).services[service] !== defaults[service].port).map(
      (service) => [service, urls[service]],
    ),
  ) as Partial<Record<ServiceName, string>>;
}
