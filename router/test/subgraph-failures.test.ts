// A subgraph that never answers, or answers without end, fails only its own fields: the gateway drops that
// fetch at its deadline or at the response cap, the other subgraph's fields arrive, and the failed ones are
// null with a SERVICE_UNAVAILABLE error that names no subgraph and no URL.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { startSubgraph, type RunningSubgraph } from "@watchflixx/common";
import { composeSupergraph, createClient, testGatewayConfig, type GraphQLClient } from "@watchflixx/testing";
import { createGateway, type RunningGateway } from "@watchflixx/router";
import { contentFixture, streamingFixture } from "./fixtures.ts";

type Behaviour = "hang" | "flood";

/** Stands where the streaming subgraph should be: it never answers, or streams 200 MB of JSON. */
async function misbehavingSubgraph() {
  const state = { behaviour: "hang" as Behaviour, requests: 0, abandoned: 0, bytesSent: 0 };
  const FLOOD_BYTES = 200 * 1024 * 1024;
  const server = http.createServer((req, res) => {
    state.requests += 1;
    req.resume();
    res.on("close", () => {
      if (!res.writableFinished) state.abandoned += 1;
    });
    if (state.behaviour === "hang") return;
    res.writeHead(200, { "content-type": "application/json" });
    res.write('{"data":{"streamingWhoAmI":"');
    const chunk = Buffer.alloc(64 * 1024, "x");
    const pump = () => {
      while (!res.destroyed && state.bytesSent < FLOOD_BYTES) {
        state.bytesSent += chunk.byteLength;
        if (!res.write(chunk)) return void res.once("drain", pump);
      }
      if (!res.destroyed) res.end('"}}');
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    state,
    port,
    url: `http://127.0.0.1:${port}/graphql`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe("a failing subgraph fails only its own fields", () => {
  let database: TestDatabase;
  let content: RunningSubgraph;
  let broken: Awaited<ReturnType<typeof misbehavingSubgraph>>;
  let gateway: RunningGateway;
  let client: GraphQLClient;

  beforeAll(async () => {
    database = await createTestDatabase();
    // The global deadline is longer than the test's own timeout: only the per-subgraph one can end the wait.
    const config = testGatewayConfig({
      SUBGRAPH_TIMEOUT_MS: 10 * 60_000,
      subgraphTimeoutsMs: { streaming: 400 },
      SUBGRAPH_MAX_RESPONSE_BYTES: 1024 * 1024,
    });
    const contentDefinition = await contentFixture();
    content = await startSubgraph(contentDefinition, { db: database.db, config, port: 0, host: "127.0.0.1" });
    broken = await misbehavingSubgraph();
    const supergraphSdl = composeSupergraph([
      { name: "content", url: content.url, sdl: contentDefinition.sdl },
      { name: "streaming", url: broken.url, sdl: (await streamingFixture()).sdl },
    ]);
    gateway = await createGateway({ config, supergraph: { sdl: supergraphSdl }, port: 0, host: "127.0.0.1", attachSubscriptions: false });
    client = createClient(gateway.url);
  });
  afterAll(async () => {
    await gateway?.stop();
    await content?.stop();
    await broken?.stop();
    await database?.drop();
  });

  const QUERY = "{ films { id title watchedBy } streamingWhoAmI }";

  function expectPartialAnswer(result: Awaited<ReturnType<GraphQLClient["request"]>>, reason: string) {
    expect(result.data).toEqual({
      films: [
        { id: "f1", title: "The Gateway", watchedBy: null },
        { id: "f2", title: "Federation Nights", watchedBy: null },
      ],
      streamingWhoAmI: null,
    });
    expect(result.errors?.length).toBeGreaterThan(0);
    for (const error of result.errors ?? []) expect(error.extensions).toEqual({ code: "SERVICE_UNAVAILABLE", reason });
    const text = JSON.stringify(result);
    for (const leak of ["127.0.0.1", String(broken.port), "\"streaming\"", "serviceName", "undici", "abort"]) expect(text).not.toContain(leak);
  }

  it("answers without the fields of a subgraph that never answers, and gives up on that subgraph's request", async () => {
    broken.state.behaviour = "hang";
    const before = broken.state.requests;
    const result = await client.request(QUERY);
    expectPartialAnswer(result, "SUBGRAPH_TIMEOUT");
    // Both fetches to the silent subgraph (the root field and the entities) were sent, and both abandoned.
    expect(broken.state.requests - before).toBe(2);
    await expect.poll(() => broken.state.abandoned).toBe(broken.state.requests);
  });

  it("stops reading a subgraph answer past the cap and drops it", async () => {
    broken.state.behaviour = "flood";
    const result = await client.request(QUERY);
    expectPartialAnswer(result, "SUBGRAPH_RESPONSE_TOO_LARGE");
    await expect.poll(() => broken.state.abandoned).toBe(broken.state.requests);
    // The gateway hung up early: the 200 MB were never all sent (two fetches, a 1 MB cap each, socket buffers).
    expect(broken.state.bytesSent).toBeLessThan(32 * 1024 * 1024);
  });

  it("keeps serving the healthy subgraph's fields on their own", async () => {
    const result = await client.request("{ films { id title } }");
    expect(result).toEqual({ data: { films: [{ id: "f1", title: "The Gateway" }, { id: "f2", title: "Federation Nights" }] } });
  });
});
