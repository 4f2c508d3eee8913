// Playback control is rate-limited (issue 11: 40 start/stop cycles in 11 s pumped a title into trending):
// startPlayback per profile, reportProgress per account, through the real gateway with the real auth subgraph.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { codeOf, signIn, startSupergraph, type RunningSupergraph } from "@watchflixx/testing";
import { authSubgraph } from "@watchflixx/auth";
import { contentSubgraph } from "@watchflixx/content";
import { streamingSubgraph } from "../src/index.ts";
import { account, film, REPORT, START } from "./support.ts";


describe("playback control limits", () => {
  let database: TestDatabase;
  let supergraph: RunningSupergraph;
  let token: string;
  let profiles: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase({ seeded: true });
    supergraph = await startSupergraph({
      db: database.db,
      config: {
        LOG_LEVEL: "error",
        RATE_LIMITS: { "playback-start-profile": { points: 3, seconds: 60 }, "playback-progress-account": { points: 8, seconds: 60 } },
      },
      subgraphs: [authSubgraph, contentSubgraph, streamingSubgraph],
    });
    token = await signIn(supergraph.client, "alice@watchflixx.dev");
    profiles = (await account(database.db, "alice@watchflixx.dev")).profiles;
  });
  afterAll(async () => {
    await supergraph?.stop();
    await database?.drop();
  });

  it("refuses start/stop cycles of one profile beyond its limit, and counts progress reports per account", async () => {
    const title = await film(database.db, "PG");
    const outcomes: unknown[] = [];
    for (let cycle = 0; cycle < 5; cycle += 1) {
      const started = await supergraph.gql(START, { input: { profileId: profiles.Alice, contentId: title.id } }, { token });
      outcomes.push(codeOf(started) ?? "STARTED");
      if (started.errors) continue;
      const stopped = await supergraph.gql(REPORT, { input: { sessionId: started.data.startPlayback.id, positionSeconds: 30, event: "STOP" } }, { token });
      expect(stopped.errors).toBeUndefined();
    }
    expect(outcomes).toEqual(["STARTED", "STARTED", "STARTED", "RATE_LIMITED", "RATE_LIMITED"]);
    const sessions = await database.db.viewingSession.count({ where: { profileId: profiles.Alice, contentId: title.id } });
    expect(sessions).toBe(3);

    // Another profile of the household still starts.
    const kids = await supergraph.gql(START, { input: { profileId: profiles.Kids, contentId: title.id } }, { token });
    expect(kids.errors).toBeUndefined();

    // Progress reports: 3 stops were counted above; 5 more heartbeats pass, then the account is refused.
    const sessionId = kids.data.startPlayback.id as string;
    const heartbeats = await Promise.all(
      Array.from({ length: 7 }, (_, i) => supergraph.gql(REPORT, { input: { sessionId, positionSeconds: 10 * (i + 1) } }, { token })),
    );
    expect(heartbeats.filter((result) => !result.errors)).toHaveLength(5);
    const refused = heartbeats.filter((result) => codeOf(result) === "RATE_LIMITED");
    expect(refused).toHaveLength(2);
    expect(refused[0]?.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
  });
});
