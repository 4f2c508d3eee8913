// The gateway's configuration, parsed and checked once at start-up (see router/README.md for the table).
import { existsSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import {
  baseConfigSchema,
  isServiceName,
  SERVICE_NAMES,
  loadConfigOrExit,
  environmentPortsOf,
  movedSubgraphUrls,
  parseConfig,
  repositoryRoot,
  subgraphUrls,
  subgraphUrlsSchema,
  type ServiceName,
} from "@watchflixx/common";
import { resilienceConfigShape, subgraphTimeouts } from "./limits-config.ts";

// @apollo/gateway (2.10+) otherwise starts, in its constructor, an OpenTelemetry exporter that reports usage to
// Apollo and probes the cloud metadata addresses (AWS, GCP, Azure: 169.254.169.254 ...) to describe the host.
// WatchFlixx reports nothing to anyone: switched off here, in the configuration module, which every way of
// building a gateway loads first (the library reads this variable in the constructor).
process.env.APOLLO_TELEMETRY_DISABLED = "true";

/** The composed supergraph the schema registry writes and production serves. */
export const DEFAULT_SUPERGRAPH_PATH = path.join(repositoryRoot, "schema-registry", "supergraph.graphql");

/** The trusted documents `pnpm codegen` writes (Apollo's persisted query manifest). */
export const DEFAULT_TRUSTED_DOCUMENTS_MANIFEST = path.join(repositoryRoot, "clients", "persisted-query-manifest.json");

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
  /** Default: WATCHFLIXX_PORT_BASE (3000). */
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  GATEWAY_HOST: z.string().min(1).default("0.0.0.0"),
  /** static: serve SUPERGRAPH_PATH (and reload it when it changes); introspect: compose the running subgraphs. */
  SUPERGRAPH_MODE: z.enum(["static", "introspect"], { message: "must be static or introspect" }).optional(),
  SUPERGRAPH_PATH: z.string().min(1).default(DEFAULT_SUPERGRAPH_PATH),
  /** How often introspect mode asks the subgraphs for their SDL again (0: never). */
  SUPERGRAPH_POLL_INTERVAL_MS: z.coerce.number().int().min(0).default(10_000),
  /** How many proxies in front of the gateway append to X-Forwarded-For (client-address.ts); 0: use the socket's peer. */
  TRUSTED_PROXY_HOPS: z.coerce.number({ message: "must be a whole number (0: no proxy trusted)" }).int().min(0).max(10).default(0),
  /** Browser origins of the clients, besides Apollo Sandbox's. */
  CORS_ORIGINS: originList.optional(),
  INTROSPECTION: booleanFlag.optional(),
  /** enforce: only the manifest's operations are served (by hash or text); allow: any operation, hashes resolved too. */
  TRUSTED_DOCUMENTS: z.enum(["enforce", "allow"], { message: "must be enforce or allow" }).optional(),
  TRUSTED_DOCUMENTS_MANIFEST: z.string().min(1).default(DEFAULT_TRUSTED_DOCUMENTS_MANIFEST),
  /** Introspect mode: the subgraphs to compose, comma-separated (default: all seven). */
  SUPERGRAPH_SERVICES: z
    .string()
    .optional()
    .transform((value) => value?.split(",").map((item) => item.trim()).filter(Boolean))
    .refine((names) => !names || names.every(isServiceName), { message: `must list services from ${SERVICE_NAMES.join(", ")}` }),
  /** The entity cache (router/src/cache/): on by default; off serves every fetch from the subgraphs. */
  ENTITY_CACHE: z.enum(["on", "off"], { message: "must be on or off" }).default("on"),
  /** The `x-cache` response header (hit, partial, miss, bypass): default on in development only (the benchmark turns it on). */
  ENTITY_CACHE_HEADER: z.enum(["on", "off"], { message: "must be on or off" }).optional(),
  ...subgraphUrlsSchema().shape,
  ...resilienceConfigShape(),
});

type ParsedGatewayEnv = z.infer<typeof gatewayConfigSchema>;

export interface GatewayConfig extends Omit<ParsedGatewayEnv, "GATEWAY_PORT" | "SUPERGRAPH_MODE" | "CORS_ORIGINS" | "INTROSPECTION" | "TRUSTED_DOCUMENTS"> {
  GATEWAY_PORT: number;
  SUPERGRAPH_MODE: "static" | "introspect";
  CORS_ORIGINS: string[];
  INTROSPECTION: boolean;
  TRUSTED_DOCUMENTS: "enforce" | "allow";
  /** Where each subgraph listens (from `<SERVICE>_URL`), for introspect mode. */
  subgraphUrls: Partial<Record<ServiceName, string>>;
  /** The `<SERVICE>_URL`s set explicitly or following a moved port: in static mode they replace the supergraph file's URLs. */
  subgraphUrlOverrides: Partial<Record<ServiceName, string>>;
  /** `<SERVICE>_TIMEOUT_MS` where set: that subgraph's deadline instead of SUBGRAPH_TIMEOUT_MS. */
  subgraphTimeoutsMs: Partial<Record<ServiceName, number>>;
}

const DEVELOPMENT_ORIGINS = ["http://localhost:3000", "http://localhost:5173", "http://127.0.0.1:5173", "http://localhost:8080"];

/**
 * Fills in the defaults that depend on other values:
 * - SUPERGRAPH_MODE: `static` in production; elsewhere `static` when the supergraph file exists, else `introspect`.
 * - INTROSPECTION: off in production, on elsewhere.
 * - TRUSTED_DOCUMENTS: enforce in production, allow elsewhere (Apollo Sandbox and ad-hoc queries in development).
 * - CORS_ORIGINS: none in production; the usual local dev-server origins elsewhere.
 */
export function resolveGatewayConfig(parsed: ParsedGatewayEnv, _env: Record<string, string | undefined> = {}): GatewayConfig {
  const production = parsed.NODE_ENV === "production";
  const mode = parsed.SUPERGRAPH_MODE ?? (production || existsSync(parsed.SUPERGRAPH_PATH) ? "static" : "introspect");
  return {
    ...parsed,
    GATEWAY_PORT: parsed.GATEWAY_PORT ?? environmentPortsOf(parsed).gateway,
    SUPERGRAPH_PATH: path.resolve(parsed.SUPERGRAPH_PATH),
    SUPERGRAPH_MODE: mode,
    CORS_ORIGINS: parsed.CORS_ORIGINS ?? (production ? [] : DEVELOPMENT_ORIGINS),
    INTROSPECTION: parsed.INTROSPECTION ?? !production,
    TRUSTED_DOCUMENTS: parsed.TRUSTED_DOCUMENTS ?? (production ? "enforce" : "allow"),
    TRUSTED_DOCUMENTS_MANIFEST: path.resolve(parsed.TRUSTED_DOCUMENTS_MANIFEST),
    subgraphUrls: Object.fromEntries(
      Object.entries(subgraphUrls(parsed)).filter(([name]) => !parsed.SUPERGRAPH_SERVICES || parsed.SUPERGRAPH_SERVICES.includes(name)),
    ) as Partial<Record<ServiceName, string>>,
    subgraphTimeoutsMs: subgraphTimeouts(parsed),
    subgraphUrlOverrides: movedSubgraphUrls(parsed),
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
