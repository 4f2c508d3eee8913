// Introspect mode (development's): the gateway composes the running subgraphs itself, waits for those that are
// not up yet, and says so on /ready until it has a supergraph.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { startSubgraph, type RunningSubgraph } from "@watchflixx/common";
import { createGateway, type RunningGateway } from "@watchflixx/router";
import { createClient, testGatewayConfig } from "@watchflixx/testing";
import { contentFixture, streamingFixture } from "./fixtures.ts";

/** A port that was free a moment ago (the gateway and the late subgraph need to know theirs in advance). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitUntilListening(url: string): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  throw new Error(`${url} never answered`);
}

describe("live composition from running subgraphs", () => {
  const config = testGatewayConfig();
  let database: TestDatabase;
  const subgraphs: RunningSubgraph[] = [];
  let gateway: RunningGateway | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await gateway?.stop();
    await Promise.all(subgraphs.map((subgraph) => subgraph.stop()));
    await database?.drop();
  });

  it("is not ready until every subgraph answers, then serves their composition", async () => {
    const content = await startSubgraph(await contentFixture(), { db: database.db, config, port: 0, host: "127.0.0.1" });
    subgraphs.push(content);
    const streamingPort = await freePort();
    const gatewayPort = await freePort();
    const starting = createGateway({
      config,
      supergraph: {
        subgraphs: [
          { name: "content", url: content.url },
          { name: "streaming", url: `http://127.0.0.1:${streamingPort}/graphql` },
        ],
        pollIntervalMs: 0,
        retryDelayMs: 50,
      },
      port: gatewayPort,
      host: "127.0.0.1",
    });
    const base = `http://127.0.0.1:${gatewayPort}`;
    await waitUntilListening(`${base}/health`);

    const notReady = await fetch(`${base}/ready`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ status: "unavailable", failing: ["supergraph"] });
    const early = await createClient(`${base}/graphql`).request("{ films { title } }");
    expect(early.errors?.[0]?.extensions?.code).toBe("SERVICE_UNAVAILABLE");

    subgraphs.push(await startSubgraph(await streamingFixture(), { db: database.db, config, port: streamingPort, host: "127.0.0.1" }));
    gateway = await starting;

    expect((await fetch(`${base}/ready`)).status).toBe(200);
    const result = await createClient(gateway.url).request(`{ film(id: "f1") { title plays } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ film: { title: "The Gateway", plays: 42 } });
  });
});
