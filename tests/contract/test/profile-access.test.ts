// The profile-access cache (packages/common/src/profile-access.ts) through the gateway, on the whole supergraph: the
// subgraphs take a profile's owner, maturity limit and PIN from it, auth writes every change through, so a change
// made through auth applies on the very next request of every subgraph (no stale window); a deleted profile and a
// stranger's are NOT_FOUND; with the cache's Redis gone, requests are answered from PostgreSQL, correctly.
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeEventRedis, connectEventRedis, createLogger, PROFILE_GONE, profileAccessKey, redisProfileAccess } from "@watchflixx/common";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { codesOf, signIn, startSupergraph, type GraphQLClient, type RunningSupergraph } from "@watchflixx/testing";
import { allSubgraphs } from "./support.ts";
import { freePort } from "@watchflixx/common/testing/redis";

const SCREEN = {
  browse: `query Browse($profileId: ID!) { browse(filter: { profileId: $profileId }, first: 100) { edges { node { id maturityRating } } } }`,
  trending: `query Trending($profileId: ID!) { trending(first: 100, profileId: $profileId) { content { id maturityRating } } }`,
  continueWatching: `query Continue($profileId: ID!) { continueWatching(profileId: $profileId, first: 100) { content { id maturityRating } } }`,
};
type Field = keyof typeof SCREEN;
const FIELDS = Object.keys(SCREEN) as Field[];

interface Rated {
  id: string;
  maturityRating: string;
}

/** The maturity ratings each of browse, trending and continueWatching shows this profile (throws on errors). */
async function ratingsShown(client: GraphQLClient, token: string, profileId: string): Promise<Record<Field, string[]>> {
  const shown = {} as Record<Field, string[]>;
  for (const field of FIELDS) {
    const result = await client.request(SCREEN[field], { profileId }, { token });
    if (result.errors) throw new Error(`${field}: ${JSON.stringify(result.errors)}`);
    const titles: Rated[] = field === "browse" ? result.data.browse.edges.map((edge: { node: Rated }) => edge.node) : result.data[field].map((item: { content: Rated }) => item.content);
    shown[field] = titles.map((title) => title.maturityRating);
  }
  return shown;
}

/** Each of browse, trending and continueWatching's error codes for this profile. */
async function codesFor(client: GraphQLClient, token: string, profileId: string): Promise<Record<Field, (string | undefined)[]>> {
  const codes = {} as Record<Field, (string | undefined)[]>;
  for (const field of FIELDS) codes[field] = codesOf(await client.request(SCREEN[field], { profileId }, { token }));
  return codes;
}

const UPDATE = `mutation Update($id: ID!, $input: UpdateProfileInput!) { updateProfile(id: $id, input: $input) { id maturityRating version } }`;
const CREATE = `mutation Create($input: CreateProfileInput!) { createProfile(input: $input) { id version } }`;
const DELETE = `mutation Delete($id: ID!) { deleteProfile(id: $id) }`;
const START = `mutation Start($input: StartPlaybackInput!) { startPlayback(input: $input) { id } }`;

const logger = createLogger("profile-access-test", "error");
const connect = (url: string) => connectEventRedis(url, { name: "profile-access-test", logger });

describe("the profile-access cache, through the gateway", () => {
  let database: TestDatabase;
  let supergraph: RunningSupergraph;
  let redis: ReturnType<typeof connect>;
  let scope: string;
  let alice: string;
  let bob: string;
  let aliceProfile: string;
  let bobProfile: string;

  beforeAll(async () => {
    database = await createTestDatabase({ seeded: true });
    // The gateway's entity cache off: what is measured here is the subgraphs' own reads.
    supergraph = await startSupergraph({ db: database.db, config: { LOG_LEVEL: "error", ENTITY_CACHE: "off" }, subgraphs: await allSubgraphs() });
    redis = connect(supergraph.config.REDIS_URL);
    scope = decodeURIComponent(new URL(database.url).pathname.slice(1));
    alice = await signIn(supergraph.client, "alice@watchflixx.dev");
    bob = await signIn(supergraph.client, "bob@watchflixx.dev");
    aliceProfile = (await database.db.profile.findFirstOrThrow({ where: { user: { email: "alice@watchflixx.dev" }, name: "Alice" } })).id;
    bobProfile = (await database.db.profile.findFirstOrThrow({ where: { user: { email: "bob@watchflixx.dev" } } })).id;
  });
  afterAll(async () => {
    await supergraph?.stop();
    if (redis) await closeEventRedis(redis);
    await database?.drop();
  });

  const cached = (profileId: string) => redisProfileAccess(redis, scope).get(profileId);

  it("a maturity limit lowered through updateProfile applies to the very next browse, trending and continueWatching", async () => {
    const before = await ratingsShown(supergraph.client, alice, aliceProfile);
    for (const field of FIELDS) expect(before[field].some((rating) => rating !== "G"), field).toBe(true);
    // Warm: the subgraphs' reads filled the cache with the NC17 limit.
    await expect.poll(() => cached(aliceProfile)).toMatchObject({ maturityRating: "NC17" });

    const { version } = await database.db.profile.findUniqueOrThrow({ where: { id: aliceProfile } });
    const updated = await supergraph.gql(UPDATE, { id: aliceProfile, input: { expectedVersion: version, maturityRating: "G" } }, { token: alice });
    expect(updated.errors).toBeUndefined();

    const after = await ratingsShown(supergraph.client, alice, aliceProfile);
    expect(after.browse.length).toBeGreaterThan(0);
    for (const field of FIELDS) expect(after[field].every((rating) => rating === "G"), field).toBe(true);
    expect(await cached(aliceProfile)).toMatchObject({ maturityRating: "G", version: version + 1 });
  });

  it("a deleted profile is NOT_FOUND on the next request, and so is a stranger's profile", async () => {
    const created = await supergraph.gql(CREATE, { input: { name: "For a while" } }, { token: alice });
    expect(created.errors).toBeUndefined();
    const id: string = created.data.createProfile.id;
    expect(Object.values(await codesFor(supergraph.client, alice, id)).flat()).toEqual([]);
    expect(await cached(id)).toMatchObject({ version: 1 });

    const deleted = await supergraph.gql(DELETE, { id }, { token: alice });
    expect(deleted.data?.deleteProfile).toBe(true);
    expect(await codesFor(supergraph.client, alice, id)).toEqual({ browse: ["NOT_FOUND"], trending: ["NOT_FOUND"], continueWatching: ["NOT_FOUND"] });
    // A tombstone: a reader that read the row before the delete cannot bring it back.
    expect(await cached(id)).toBe(PROFILE_GONE);

    // Bob's profile, cached by Bob's own requests, is still nobody else's.
    expect(Object.values(await codesFor(supergraph.client, bob, bobProfile)).flat()).toEqual([]);
    await expect.poll(() => cached(bobProfile)).not.toBeNull();
    expect(await codesFor(supergraph.client, alice, bobProfile)).toEqual({ browse: ["NOT_FOUND"], trending: ["NOT_FOUND"], continueWatching: ["NOT_FOUND"] });
  });

  it("a PIN set through auth locks the profile for the very next playback", async () => {
    const created = await supergraph.gql(CREATE, { input: { name: "Soon with a PIN", maturityRating: "G" } }, { token: alice });
    expect(created.errors).toBeUndefined();
    const id: string = created.data.createProfile.id;
    const browsed = await supergraph.gql(SCREEN.browse, { profileId: id }, { token: alice });
    const titleId: string = browsed.data.browse.edges[0].node.id;
    expect(await cached(id)).toMatchObject({ hasPin: false });

    const pinned = await supergraph.gql(UPDATE, { id, input: { expectedVersion: created.data.createProfile.version, pin: "2468" } }, { token: alice });
    expect(pinned.errors).toBeUndefined();
    const started = await supergraph.gql(START, { input: { profileId: id, contentId: titleId } }, { token: alice });
    expect(started.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", reason: "PROFILE_LOCKED" });
  });

  describe("with the cache's Redis gone", () => {
    let redisServer: ChildProcess;
    let port: number;
    let downstairs: RunningSupergraph;

    beforeAll(async () => {
      port = await freePort();
      redisServer = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
      await new Promise((resolve) => setTimeout(resolve, 300));
      downstairs = await startSupergraph({
        db: database.db,
        config: { LOG_LEVEL: "error", ENTITY_CACHE: "off", REDIS_URL: `redis://127.0.0.1:${port}` },
        subgraphs: await allSubgraphs(),
      });
    });
    afterAll(async () => {
      await downstairs?.stop();
      if (redisServer && redisServer.exitCode === null) redisServer.kill("SIGKILL");
    });

    it("answers from PostgreSQL, correctly: a new limit applies, a stranger's profile stays NOT_FOUND", async () => {
      const own = connect(`redis://127.0.0.1:${port}`);
      try {
        expect((await ratingsShown(downstairs.client, bob, bobProfile)).browse.some((rating) => rating !== "G")).toBe(true);
        await expect.poll(() => own.exists(profileAccessKey(scope, bobProfile))).toBe(1);
      } finally {
        await closeEventRedis(own);
      }
      redisServer.kill("SIGKILL");
      await new Promise((resolve) => redisServer.once("exit", resolve));

      const { version } = await database.db.profile.findUniqueOrThrow({ where: { id: bobProfile } });
      const updated = await downstairs.gql(UPDATE, { id: bobProfile, input: { expectedVersion: version, maturityRating: "G" } }, { token: bob });
      expect(updated.errors).toBeUndefined();
      const after = await ratingsShown(downstairs.client, bob, bobProfile);
      expect(after.browse.length).toBeGreaterThan(0);
      for (const field of FIELDS) expect(after[field].every((rating) => rating === "G"), field).toBe(true);
      expect(await codesFor(downstairs.client, alice, bobProfile)).toEqual({ browse: ["NOT_FOUND"], trending: ["NOT_FOUND"], continueWatching: ["NOT_FOUND"] });
    });
  });
});
