// Configuration, parsed and checked once at start-up. A bad value stops the process with one line that
// names the variable; nothing else in the code reads process.env.
import { existsSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { DEFAULT_INPUT_MAX_STRING_LENGTH } from "./input-text.ts";
import { DEFAULT_LIST_SIZES, DEFAULT_OPERATION_LIMITS } from "./operation-limits.ts";
import { parseRateLimitOverrides } from "./rate-limits.ts";
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
  DATABASE_URL: postgresUrl.default("postgresql://postgres@127.0.0.1:5432/watchflixx"),
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
});

export type BaseConfig = z.infer<typeof baseConfigSchema>;

export class ConfigurationError extends Error {}

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
  }
  return config;
}

/** At start-up: parse, or print `Configuration error: <VARIABLE> <problem>` and exit. */
export function loadConfigOrExit<S extends z.ZodType>(schema: S, env: Record<string, string | undefined> = process.env): z.infer<S> {
  try {
    return parseConfig(schema, env);
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
 * A subgraph's configuration: the base plus its port (`<SERVICE>_PORT`, default from microservices.config.json)
 * and the interface it listens on (`SUBGRAPH_HOST`, shared by all seven): loopback unless configured, since only
 * the gateway should reach a subgraph (containers set 0.0.0.0, their network being the boundary).
 */
export function subgraphConfigSchema(service: ServiceName) {
  return baseConfigSchema.extend({
    [portVariable(service)]: port.default(microservicesConfig().services[service].port),
    SUBGRAPH_HOST: z.string().trim().min(1, "must be an interface address such as 127.0.0.1 or 0.0.0.0").default(DEFAULT_SUBGRAPH_HOST),
  });
}

export interface SubgraphConfig extends BaseConfig {
  port: number;
  host: string;
}

export function loadSubgraphConfig(service: ServiceName, env: Record<string, string | undefined> = process.env): SubgraphConfig {
  const config = loadConfigOrExit(subgraphConfigSchema(service), env) as BaseConfig & Record<string, number> & { SUBGRAPH_HOST: string };
  return { ...config, port: config[portVariable(service)] as number, host: config.SUBGRAPH_HOST };
}

/** Where the gateway finds each subgraph: `<SERVICE>_URL`, default http://127.0.0.1:<port>/graphql. */
export function subgraphUrlsSchema() {
  const shape: Record<string, z.ZodType<string>> = {};
  for (const service of SERVICE_NAMES) {
    shape[urlVariable(service)] = urlWithProtocols(["http:", "https:"], "http://127.0.0.1:3001/graphql").default(
      `http://127.0.0.1:${microservicesConfig().services[service].port}/graphql`,
    );
  }
  return z.object(shape);
}

export function subgraphUrls(config: Record<string, unknown>): Record<ServiceName, string> {
  return Object.fromEntries(SERVICE_NAMES.map((service) => [service, String(config[urlVariable(service)])])) as Record<
    ServiceName,
    string
  >;
}
