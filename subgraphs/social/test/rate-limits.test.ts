// Party creation is rate-limited per account, through the real gateway with the real auth and content subgraphs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { startSupergraph, type GraphQLResult, type RunningSupergraph } from "@watchflixx/testing";
import { createAuthSubgraph } from "../../auth/src/index.ts";
import { createContentSubgraph } from "../../content/src/index.ts";
import { createSocialSubgraph } from "../src/index.ts";

const code = (result: GraphQLResult) => result.errors?.[0]?.extensions?.code;
const SIGN_IN = `mutation ($input: SignInInput!) { signIn(input: $input) { accessToken user { id } } }`;
const CREATE = `mutation ($input: CreatePartyWatchInput!) { createPartyWatch(input: $input) { id inviteCode } }`;

describe("party creation limit", () => {
  let database: TestDatabase;
  let supergraph: RunningSupergraph;

  beforeAll(async () => {
    database = await createTestDatabase({ seeded: true });
    supergraph = await startSupergraph({
      db: database.db,
      config: { LOG_LEVEL: "error", RATE_LIMITS: { "party-creation-account": { points: 3, seconds: 3600 } } },
      subgraphs: [await createAuthSubgraph(), await createContentSubgraph(), await createSocialSubgraph()],
    });
  });
  afterAll(async () => {
    await supergraph?.stop();
    await database?.drop();
  });

  it("creates at most the limit of parties for one account, however many are asked for at once", async () => {
    const signIn = async (email: string) => (await supergraph.gql(SIGN_IN, { input: { email, password: "watchflixx-demo" } })).data.signIn;
    const alice = await signIn("alice@watchflixx.dev");
    const profile = await database.db.profile.findFirstOrThrow({ where: { userId: alice.user.id, isKids: false }, select: { id: true } });
    const film = await database.db.content.findFirstOrThrow({
      where: { type: "MOVIE", maturityRating: "G", publishedAt: { not: null } },
      orderBy: { id: "asc" },
      select: { id: true },
    });
    const input = { profileId: profile.id, contentId: film.id };
    const results = await Promise.all(Array.from({ length: 6 }, () => supergraph.gql(CREATE, { input }, { token: alice.accessToken })));
    expect(results.filter((result) => !result.errors)).toHaveLength(3);
    expect(results.filter((result) => code(result) === "RATE_LIMITED")).toHaveLength(3);
    expect(await database.db.partyWatchSession.count({ where: { hostProfileId: profile.id } })).toBe(3);
  });
});
