// The offline GraphQL IDE: GET /graphiql returns GraphiQL whose script and stylesheet are all served by the
// gateway itself (no CDN, no other origin), with graphql-ws in the bundle for subscriptions. Production
// serves no IDE.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { startSubgraph, type RunningSubgraph } from "@watchflixx/common";
import { createGateway, type RunningGateway } from "@watchflixx/router";
import { testGatewayConfig } from "@watchflixx/testing";
import { contentFixture } from "./fixtures.ts";

describe("GraphiQL at /graphiql", () => {
  let database: TestDatabase;
  let content: RunningSubgraph;
  let gateway: RunningGateway;
  let origin: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = testGatewayConfig();
    content = await startSubgraph(await contentFixture(), { db: database.db, config, port: 0, host: "127.0.0.1" });
    gateway = await createGateway({
      config,
      supergraph: { subgraphs: [{ name: "content", url: content.url }], pollIntervalMs: 0 },
      port: 0,
      host: "127.0.0.1",
    });
    origin = new URL(gateway.url).origin;
  });
  afterAll(async () => {
    await gateway?.stop();
    await content?.stop();
    await database?.drop();
  });

  it("serves a page whose every script and stylesheet comes from the gateway itself", async () => {
    const response = await fetch(`${origin}/graphiql`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('<div id="graphiql">');

    const urls = [...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"/g)].map(([, url]) => new URL(url!, `${origin}/graphiql`));
    expect(urls.length).toBe(2);
    for (const url of urls) {
      expect(url.origin).toBe(origin);
      const asset = await fetch(url);
      expect(asset.status, url.href).toBe(200);
      const body = await asset.text();
      if (url.pathname.endsWith(".js")) {
        expect(asset.headers.get("content-type")).toMatch(/javascript/);
        // graphql-ws's protocol: subscriptions run over the same WebSocket path as the clients'.
        expect(body).toContain("graphql-transport-ws");
        // Nothing fetched from elsewhere at run time.
        expect(body).not.toMatch(/https:\/\/(unpkg\.com|cdn\.jsdelivr\.net|embeddable-sandbox\.cdn\.apollographql\.com)/);
      } else {
        expect(asset.headers.get("content-type")).toMatch(/^text\/css/);
        expect(body).toContain(".graphiql-container");
        expect(body).not.toMatch(/url\(\s*["']?https?:/);
      }
    }
  });

  it("is not served in production", async () => {
    const production = await createGateway({
      config: { ...testGatewayConfig(), NODE_ENV: "production" },
      supergraph: { subgraphs: [{ name: "content", url: content.url }], pollIntervalMs: 0 },
      port: 0,
      host: "127.0.0.1",
    });
    try {
      expect((await fetch(`${new URL(production.url).origin}/graphiql`)).status).toBe(404);
    } finally {
      await production.stop();
    }
  });
});
