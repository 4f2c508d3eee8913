// The gateway's configuration and start-up: defaults by environment, one-line errors for bad values.
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigurationError } from "@watchflixx/common";
import { DEFAULT_SUPERGRAPH_PATH, DEFAULT_TRUSTED_DOCUMENTS_MANIFEST, parseGatewayConfig } from "@watchflixx/router";

const secrets = { GATEWAY_SHARED_SECRET: "a-production-gateway-secret", JWT_ACCESS_SECRET: "a-production-jwt-secret-value" };
const routerRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

describe("gateway configuration", () => {
  let folder: string;
  let existing: string;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), "wf-config-"));
    existing = path.join(folder, "supergraph.graphql");
    await writeFile(existing, "# a supergraph\n");
  });
  afterAll(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it("has development defaults: port 3000, introspection on, local client origins", () => {
    const config = parseGatewayConfig({});
    expect(config.GATEWAY_PORT).toBe(3000);
    expect(config.SUPERGRAPH_PATH).toBe(DEFAULT_SUPERGRAPH_PATH);
    expect(config.INTROSPECTION).toBe(true);
    expect(config.CORS_ORIGINS).toContain("http://localhost:5173");
    expect(config.subgraphUrls.content).toBe("http://127.0.0.1:3002/graphql");
  });

  it("serves the supergraph file when it exists, else composes the running subgraphs (outside production)", () => {
    expect(parseGatewayConfig({ SUPERGRAPH_PATH: existing }).SUPERGRAPH_MODE).toBe("static");
    expect(parseGatewayConfig({ SUPERGRAPH_PATH: path.join(folder, "none.graphql") }).SUPERGRAPH_MODE).toBe("introspect");
    expect(parseGatewayConfig({ SUPERGRAPH_PATH: existing, SUPERGRAPH_MODE: "introspect" }).SUPERGRAPH_MODE).toBe("introspect");
  });

  it("is static with introspection off in production, even before the file exists", () => {
    const config = parseGatewayConfig({ NODE_ENV: "production", ...secrets, SUPERGRAPH_PATH: path.join(folder, "none.graphql") });
    expect(config.SUPERGRAPH_MODE).toBe("static");
    expect(config.INTROSPECTION).toBe(false);
    expect(config.CORS_ORIGINS).toEqual([]);
    expect(parseGatewayConfig({ NODE_ENV: "production", ...secrets, INTROSPECTION: "true" }).INTROSPECTION).toBe(true);
  });

  it("reads CORS_ORIGINS, INTROSPECTION and the subgraph URLs", () => {
    const config = parseGatewayConfig({
      CORS_ORIGINS: "https://app.example.com, https://tv.example.com/",
      INTROSPECTION: "false",
      CONTENT_URL: "http://content.internal:4000/graphql",
    });
    expect(config.CORS_ORIGINS).toEqual(["https://app.example.com", "https://tv.example.com"]);
    expect(config.INTROSPECTION).toBe(false);
    expect(config.subgraphUrls.content).toBe("http://content.internal:4000/graphql");
  });

  it("enforces the trusted documents in production only, unless TRUSTED_DOCUMENTS says otherwise", () => {
    expect(parseGatewayConfig({}).TRUSTED_DOCUMENTS).toBe("allow");
    expect(parseGatewayConfig({ NODE_ENV: "test" }).TRUSTED_DOCUMENTS).toBe("allow");
    expect(parseGatewayConfig({ NODE_ENV: "production", ...secrets }).TRUSTED_DOCUMENTS).toBe("enforce");
    expect(parseGatewayConfig({ NODE_ENV: "production", ...secrets, TRUSTED_DOCUMENTS: "allow" }).TRUSTED_DOCUMENTS).toBe("allow");
    expect(parseGatewayConfig({ TRUSTED_DOCUMENTS: "enforce" }).TRUSTED_DOCUMENTS).toBe("enforce");
    expect(parseGatewayConfig({}).TRUSTED_DOCUMENTS_MANIFEST).toBe(DEFAULT_TRUSTED_DOCUMENTS_MANIFEST);
    expect(() => parseGatewayConfig({ TRUSTED_DOCUMENTS: "on" })).toThrow("TRUSTED_DOCUMENTS must be enforce or allow");
  });

  it("reads the subgraph deadlines, global and per subgraph, the response cap and the WebSocket caps", () => {
    const defaults = parseGatewayConfig({});
    expect(defaults.SUBGRAPH_TIMEOUT_MS).toBe(5_000);
    expect(defaults.subgraphTimeoutsMs).toEqual({});
    expect(defaults.SUBGRAPH_MAX_RESPONSE_BYTES).toBe(16 * 1024 * 1024);
    expect(defaults.WS_MAX_SUBSCRIPTIONS_PER_SOCKET).toBe(50);
    expect(defaults.WS_MAX_SOCKETS_PER_ACCOUNT).toBe(20);
    const set = parseGatewayConfig({ SUBGRAPH_TIMEOUT_MS: "2500", CONTENT_TIMEOUT_MS: "12000", WS_MAX_CONNECTION_INIT_BYTES: "4096" });
    expect(set.SUBGRAPH_TIMEOUT_MS).toBe(2_500);
    expect(set.subgraphTimeoutsMs).toEqual({ content: 12_000 });
    expect(set.WS_MAX_CONNECTION_INIT_BYTES).toBe(4_096);
    expect(() => parseGatewayConfig({ SUBGRAPH_TIMEOUT_MS: "soon" })).toThrow("SUBGRAPH_TIMEOUT_MS must be a number of milliseconds (at least 1)");
    expect(() => parseGatewayConfig({ STREAMING_TIMEOUT_MS: "0" })).toThrow(/^STREAMING_TIMEOUT_MS /);
    expect(() => parseGatewayConfig({ WS_MAX_SOCKETS_PER_ACCOUNT: "-1" })).toThrow(/^WS_MAX_SOCKETS_PER_ACCOUNT /);
  });

  it("names the variable of a bad value", () => {
    expect(() => parseGatewayConfig({ GATEWAY_PORT: "web" })).toThrow(ConfigurationError);
    expect(() => parseGatewayConfig({ GATEWAY_PORT: "web" })).toThrow(/^GATEWAY_PORT /);
    expect(() => parseGatewayConfig({ SUPERGRAPH_MODE: "live" })).toThrow("SUPERGRAPH_MODE must be static or introspect");
    expect(() => parseGatewayConfig({ CORS_ORIGINS: "https://app.example.com/path" })).toThrow(/^CORS_ORIGINS/);
    expect(() => parseGatewayConfig({ INTROSPECTION: "maybe" })).toThrow("INTROSPECTION must be true or false");
    expect(() => parseGatewayConfig({ NODE_ENV: "production" })).toThrow("GATEWAY_SHARED_SECRET must be set in production");
  });

  const runMain = (env: Record<string, string>) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
        cwd: routerRoot,
        env: { PATH: process.env.PATH ?? "", ...env },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.on("exit", (code) => resolve({ code, stderr }));
    });

  it("stops with one line on a bad variable", async () => {
    const { code, stderr } = await runMain({ GATEWAY_PORT: "web" });
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toEqual([expect.stringMatching(/^Configuration error: GATEWAY_PORT /)]);
  });

  it("stops with one line when the production supergraph is missing", async () => {
    const missing = path.join(folder, "none.graphql");
    const { code, stderr } = await runMain({ NODE_ENV: "production", ...secrets, SUPERGRAPH_PATH: missing, GATEWAY_PORT: "0", GATEWAY_HOST: "127.0.0.1", LOG_LEVEL: "error" });
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toEqual([`[gateway] SUPERGRAPH_PATH: cannot read the supergraph at ${missing} (no such file); compose it with the schema registry, or set SUPERGRAPH_MODE=introspect to compose the running subgraphs`]);
  });

  it("stops with one line when the trusted documents manifest was edited by hand", async () => {
    const manifest = path.join(folder, "manifest.json");
    const body = "query Plans { plans { id } }";
    const tampered = { format: "apollo-persisted-query-manifest", version: 1, operations: [{ id: "0".repeat(64), name: "Plans", type: "query", body }] };
    await writeFile(manifest, JSON.stringify(tampered));
    const { code, stderr } = await runMain({ TRUSTED_DOCUMENTS_MANIFEST: manifest, GATEWAY_PORT: "0", GATEWAY_HOST: "127.0.0.1", LOG_LEVEL: "error" });
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toEqual([`[gateway] TRUSTED_DOCUMENTS_MANIFEST: the id of Plans in ${manifest} is not the sha256 of its body (run pnpm codegen)`]);
  });
});
