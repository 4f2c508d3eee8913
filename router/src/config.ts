// The gateway's configuration, parsed and checked once at start-up (see router/README.md for the table).
import { existsSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import {
  baseConfigSchema,
  isServiceName,
  SERVICE_NAMES,
  loadConfigOrExit,
  microservicesConfig,
  parseConfig,
  repositoryRoot,
  subgraphUrls,
  subgraphUrlsSchema,
  type ServiceName,
} from "@watchflixx/common";
import { resilienceConfigShape, subgraphTimeouts } from "./limits-config.ts";

/** The composed supergraph the schema registry writes and production serves. */
export const DEFAULT_SUPERGRAPH_PATH = path.join(repositoryRoot, "schema-registry", "supergraph.graphql");

/** Apollo Sandbox (studio.apollographql.com/sandbox) runs in the browser and calls the gateway from this origin. */
export const APOLLO_SANDBOX_ORIGIN = "https://studio.apollographql.com";

const booleanFlag = z
  .enum(["true", "false", "1", "0", "yes", "no"], { message: "must be true or false" })
  .transform((value) => value === "true" || value === "1" || value === "yes");

const origin = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "http:" || url.protocol === "https:") && url.origin === value;
    } catch {
      return false;
    }
  },
  { message: "must be a comma-separated list of origins like https://app.example.com (scheme, host, optional port; no path)" },
);

const originList = z
  .string()
  .transform((value) => value.split(",").map((item) => item.trim()).filter(Boolean).map((item) => item.replace(/\/$/, "")))
  .pipe(z.array(origin));

export const gatewayConfigSchema = baseConfigSchema.extend({
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(microservicesConfig().gateway.port),
  GATEWAY_HOST: z.string().min(1).default("0.0.0.0"),
  /** static: serve SUPERGRAPH_PATH (and reload it when it changes); introspect: compose the running subgraphs. */
  SUPERGRAPH_MODE: z.enum(["static", "introspect"], { message: "must be static or introspect" }).optional(),
  SUPERGRAPH_PATH: z.string().min(1).default(DEFAULT_SUPERGRAPH_PATH),
  /** How often introspect mode asks the subgraphs for their SDL again (0: never). */
  SUPERGRAPH_POLL_INTERVAL_MS: z.coerce.number().int().min(0).default(10_000),
  /** Browser origins of the clients, besides Apollo Sandbox's. */
  CORS_ORIGINS: originList.optional(),
  INTROSPECTION: booleanFlag.optional(),
  /** Introspect mode: the subgraphs to compose, comma-separated (default: all seven). */
  SUPERGRAPH_SERVICES: z
    .string()
    .optional()
    .transform((value) => value?.split(",").map((item) => item.trim()).filter(Boolean))
    .refine((names) => !names || names.every(isServiceName), { message: `must list services from ${SERVICE_NAMES.join(", ")}` }),
  ...subgraphUrlsSchema().shape,
  ...resilienceConfigShape(),
});

type ParsedGatewayEnv = z.infer<typeof gatewayConfigSchema>;

export interface GatewayConfig extends Omit<ParsedGatewayEnv, "SUPERGRAPH_MODE" | "CORS_ORIGINS" | "INTROSPECTION"> {
  SUPERGRAPH_MODE: "static" | "introspect";
  CORS_ORIGINS: string[];
  INTROSPECTION: boolean;
  /** Where each subgraph listens (from `<SERVICE>_URL`), for introspect mode. */
  subgraphUrls: Partial<Record<ServiceName, string>>;
  /** The `<SERVICE>_URL`s set explicitly: in static mode they replace the URLs the supergraph file records. */
  subgraphUrlOverrides: Partial<Record<ServiceName, string>>;
  /** `<SERVICE>_TIMEOUT_MS` where set: that subgraph's deadline instead of SUBGRAPH_TIMEOUT_MS. */
  subgraphTimeoutsMs: Partial<Record<ServiceName, number>>;
}

const DEVELOPMENT_ORIGINS = ["http://localhost:3000", "http://localhost:5173", "http://127.0.0.1:5173", "http://localhost:8080"];

/**
 * Fills in the defaults that depend on other values:
 * - SUPERGRAPH_MODE: `static` in production; elsewhere `static` when the supergraph file exists, else `introspect`.
 * - INTROSPECTION: off in production, on elsewhere.
 * - CORS_ORIGINS: none in production; the usual local dev-server origins elsewhere.
 */
export function resolveGatewayConfig(parsed: ParsedGatewayEnv, env: Record<string, string | undefined> = {}): GatewayConfig {
  const production = parsed.NODE_ENV === "production";
  const mode = parsed.SUPERGRAPH_MODE ?? (production || existsSync(parsed.SUPERGRAPH_PATH) ? "static" : "introspect");
  return {
    ...parsed,
    SUPERGRAPH_PATH: path.resolve(parsed.SUPERGRAPH_PATH),
    SUPERGRAPH_MODE: mode,
    CORS_ORIGINS: parsed.CORS_ORIGINS ?? (production ? [] : DEVELOPMENT_ORIGINS),
    INTROSPECTION: parsed.INTROSPECTION ?? !production,
    subgraphUrls: Object.fromEntries(
      Object.entries(subgraphUrls(parsed)).filter(([name]) => !parsed.SUPERGRAPH_SERVICES || parsed.SUPERGRAPH_SERVICES.includes(name)),
    ) as Partial<Record<ServiceName, string>>,
    subgraphTimeoutsMs: subgraphTimeouts(parsed),
    subgraphUrlOverrides: Object.fromEntries(
      Object.entries(subgraphUrls(parsed)).filter(([name]) => Boolean(env[`${name.toUpperCase()}_URL`]?.trim())),
    ) as Partial<Record<ServiceName, string>>,
  };
}

/** For tests and tools: parse `env` (throws a ConfigurationError naming the variable). */
export function parseGatewayConfig(env: Record<string, string | undefined>): GatewayConfig {
  return resolveGatewayConfig(parseConfig(gatewayConfigSchema, env), env);
}

/** At start-up: parse process.env, or print `Configuration error: <VARIABLE> <problem>` and exit 1. */
export function loadGatewayConfig(env: Record<string, string | undefined> = process.env): GatewayConfig {
  return resolveGatewayConfig(loadConfigOrExit(gatewayConfigSchema, env), env);
}
