// Static mode (production's): the gateway serves a supergraph file and picks up a new one without a restart.
import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { startSubgraph, StartupError, type RunningSubgraph, type SubgraphDefinition } from "@watchflixx/common";
import { createGateway, type RunningGateway } from "@watchflixx/router";
import { composeSupergraph, createClient, testGatewayConfig, type GraphQLClient } from "@watchflixx/testing";
import { contentFixture, streamingFixture } from "./fixtures.ts";

describe("a supergraph file", () => {
  const config = testGatewayConfig();
  let database: TestDatabase;
  let folder: string;
  let file: string;
  let content: RunningSubgraph;
  let streaming: RunningSubgraph;
  let contentV1: SubgraphDefinition;
  let contentV2: SubgraphDefinition;
  let streamingDefinition: SubgraphDefinition;
  let gateway: RunningGateway;
  let client: GraphQLClient;

  const compose = (contentDefinition: SubgraphDefinition) =>
    composeSupergraph([
      { name: "content", url: content.url, sdl: contentDefinition.sdl },
      { name: "streaming", url: streaming.url, sdl: streamingDefinition.sdl },
    ]);

  /** As tools write it: a temporary file renamed over the old one. */
  const replaceFile = async (text: string) => {
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, text);
    await rename(temporary, file);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    folder = await mkdtemp(path.join(tmpdir(), "wf-supergraph-"));
    file = path.join(folder, "supergraph.graphql");
    contentV1 = await contentFixture({ version: 1 });
    contentV2 = await contentFixture({ version: 2 });
    streamingDefinition = await streamingFixture();
    // The content subgraph already runs version 2; the published supergraph still describes version 1.
    content = await startSubgraph(contentV2, { db: database.db, config, port: 0, host: "127.0.0.1" });
    streaming = await startSubgraph(streamingDefinition, { db: database.db, config, port: 0, host: "127.0.0.1" });
    await writeFile(file, compose(contentV1));
    gateway = await createGateway({ config, supergraph: { path: file }, port: 0, host: "127.0.0.1" });
    client = createClient(gateway.url);
  });
  afterAll(async () => {
    await gateway?.stop();
    await content?.stop();
    await streaming?.stop();
    await database?.drop();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it("serves the new supergraph once the file changes, without a restart", async () => {
    const before = await client.request("{ filmCount }");
    expect(before.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");

    const reloaded = new Promise<string>((resolve) => {
      const unsubscribe = gateway.onSupergraphUpdate((sdl) => {
        unsubscribe();
        resolve(sdl);
      });
    });
    await replaceFile(compose(contentV2));
    expect(await reloaded).toContain("filmCount");

    const after = await client.request("{ filmCount films { title plays } }");
    expect(after.errors).toBeUndefined();
    expect(after.data).toEqual({
      filmCount: 2,
      films: [
        { title: "The Gateway", plays: 42 },
        { title: "Federation Nights", plays: 7 },
      ],
    });
  });

  it("keeps serving the current supergraph when the new file is not a valid one", async () => {
    await replaceFile("this is not a supergraph {");
    expect(await gateway.reloadSupergraph()).toBe(false);
    const result = await client.request("{ filmCount }");
    expect(result.data).toEqual({ filmCount: 2 });
    const ready = await fetch(gateway.url.replace(/\/graphql$/, "/ready"));
    expect(ready.status).toBe(200);
  });

  it("refuses to start without a supergraph file, naming SUPERGRAPH_PATH", async () => {
    const missing = path.join(folder, "missing.graphql");
    const failure = createGateway({ config, supergraph: { path: missing }, port: 0, host: "127.0.0.1" });
    await expect(failure).rejects.toBeInstanceOf(StartupError);
    await expect(failure).rejects.toThrow(`SUPERGRAPH_PATH: cannot read the supergraph at ${missing} (no such file)`);
  });
});
