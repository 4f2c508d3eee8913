// Production mode: the configuration's defaults (static supergraph file, introspection off, no dev origins), no
// Sandbox landing page, no schema hints in error messages.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { startSubgraph, type RunningSubgraph } from "@watchflixx/common";
import { createGateway, parseGatewayConfig, type GatewayConfig, type RunningGateway } from "@watchflixx/router";
import { composeSupergraph, createClient, type GraphQLClient } from "@watchflixx/testing";
import { contentFixture, streamingFixture } from "./fixtures.ts";

describe("the gateway in production", () => {
  let database: TestDatabase;
  let folder: string;
  let config: GatewayConfig;
  const subgraphs: RunningSubgraph[] = [];
  let gateway: RunningGateway;
  let client: GraphQLClient;

  beforeAll(async () => {
    database = await createTestDatabase();
    folder = await mkdtemp(path.join(tmpdir(), "wf-production-"));
    const file = path.join(folder, "supergraph.graphql");
    config = parseGatewayConfig({
      NODE_ENV: "production",
      GATEWAY_SHARED_SECRET: "production-gateway-secret-for-tests",
      JWT_ACCESS_SECRET: "production-jwt-secret-for-tests",
      SUPERGRAPH_PATH: file,
      GATEWAY_PORT: "0",
      GATEWAY_HOST: "127.0.0.1",
      CORS_ORIGINS: "https://watchflixx.example.com",
      LOG_LEVEL: "warn",
      // The safelist (on by default in production) is tested with the contract's documents in
      // tests/contract/test/trusted-documents.test.ts; these fixture queries are not trusted documents.
      TRUSTED_DOCUMENTS: "allow",
    });
    const definitions = [await contentFixture(), await streamingFixture()];
    for (const definition of definitions) {
      subgraphs.push(await startSubgraph(definition, { db: database.db, config, port: 0, host: "127.0.0.1" }));
    }
    await writeFile(
      file,
      composeSupergraph(definitions.map((definition, index) => ({ name: definition.name, url: subgraphs[index]?.url ?? "", sdl: definition.sdl }))),
    );
    // No supergraph source given: the configuration's (static, SUPERGRAPH_PATH).
    gateway = await createGateway({ config });
    client = createClient(gateway.url);
  });
  afterAll(async () => {
    await gateway?.stop();
    await Promise.all(subgraphs.map((subgraph) => subgraph.stop()));
    await database?.drop();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it("defaults to the static supergraph with introspection off", () => {
    expect(config.SUPERGRAPH_MODE).toBe("static");
    expect(config.INTROSPECTION).toBe(false);
  });

  it("serves operations and refuses introspection", async () => {
    expect((await client.request(`{ film(id: "f1") { title plays } }`)).data).toEqual({ film: { title: "The Gateway", plays: 42 } });
    const introspection = await client.request(`{ __schema { types { name } } }`);
    expect(introspection.data).toBeUndefined();
    expect(introspection.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(introspection.errors?.[0]?.message).toContain("introspection");
    const typeQuery = await client.request(`{ __type(name: "Film") { fields { name } } }`);
    expect(typeQuery.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  it("gives no schema hints in validation errors", async () => {
    const result = await client.request(`{ film(id: "f1") { titel } }`);
    expect(result.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(result.errors?.[0]?.message).not.toContain("Did you mean");
  });

  it("shows no Sandbox landing page", async () => {
    const page = await fetch(gateway.url, { headers: { accept: "text/html" } });
    expect(page.headers.get("content-type") ?? "").not.toContain("text/html");
    expect(await page.text()).not.toContain("sandbox");
  });

  it("allows Apollo Sandbox and the configured client origins only", async () => {
    const allowedOrigin = async (origin: string) => {
      const response = await fetch(gateway.url, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
      });
      return response.headers.get("access-control-allow-origin");
    };
    expect(await allowedOrigin("https://watchflixx.example.com")).toBe("https://watchflixx.example.com");
    expect(await allowedOrigin("https://studio.apollographql.com")).toBe("https://studio.apollographql.com");
    expect(await allowedOrigin("http://localhost:5173")).toBeNull();
  });
});
