// Party creation and invite-code guessing are rate-limited per account, through the real gateway with the real
// auth and content subgraphs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { codeOf, signIn, startSupergraph, type RunningSupergraph } from "@watchflixx/testing";
import { authSubgraph } from "@watchflixx/auth";
import { contentSubgraph } from "@watchflixx/content";
import { socialSubgraph } from "../src/index.ts";

const CREATE = `mutation ($input: CreatePartyWatchInput!) { createPartyWatch(input: $input) { id inviteCode } }`;
const JOIN = `mutation ($inviteCode: String!, $profileId: ID!) { joinPartyWatch(inviteCode: $inviteCode, profileId: $profileId) { id } }`;

describe("party creation limit", () => {
  let database: TestDatabase;
  let supergraph: RunningSupergraph;

  beforeAll(async () => {
    database = await createTestDatabase({ seeded: true });
    supergraph = await startSupergraph({
      db: database.db,
      config: { LOG_LEVEL: "error", RATE_LIMITS: { "party-creation-account": { points: 3, seconds: 3600 }, "party-invite-account": { points: 4, seconds: 600 } } },
      subgraphs: [authSubgraph, contentSubgraph, socialSubgraph],
    });
  });
  afterAll(async () => {
    await supergraph?.stop();
    await database?.drop();
  });

  /** A seeded account signed in through the gateway: its token and id. */
  async function account(email: string) {
    const accessToken = await signIn(supergraph.client, email);
    const user = await database.db.user.findUniqueOrThrow({ where: { email }, select: { id: true } });
    return { accessToken, user };
  }

  it("creates at most the limit of parties for one account, however many are asked for at once", async () => {
    const alice = await account("alice@watchflixx.dev");
    const profile = await database.db.profile.findFirstOrThrow({ where: { userId: alice.user.id, isKids: false }, select: { id: true } });
    const film = await database.db.content.findFirstOrThrow({
      where: { type: "MOVIE", maturityRating: "G", publishedAt: { not: null } },
      orderBy: { id: "asc" },
      select: { id: true },
    });
    const input = { profileId: profile.id, contentId: film.id };
    const results = await Promise.all(Array.from({ length: 6 }, () => supergraph.gql(CREATE, { input }, { token: alice.accessToken })));
    expect(results.filter((result) => !result.errors)).toHaveLength(3);
    expect(results.filter((result) => codeOf(result) === "RATE_LIMITED")).toHaveLength(3);
    expect(await database.db.partyWatchSession.count({ where: { hostProfileId: profile.id } })).toBe(3);
  });

  it("refuses invite-code guesses beyond the limit, even the right code then, while joins that work cost nothing", async () => {
    const [alice, bob] = await Promise.all([account("alice@watchflixx.dev"), account("bob@watchflixx.dev")]);
    const adultProfile = (account: { user: { id: string } }) => database.db.profile.findFirstOrThrow({ where: { userId: account.user.id, isKids: false }, select: { id: true } });
    const [aliceProfile, bobProfile] = await Promise.all([adultProfile(alice), adultProfile(bob)]);
    const film = await database.db.content.findFirstOrThrow({ where: { type: "MOVIE", maturityRating: "G", publishedAt: { not: null } }, orderBy: { id: "asc" }, select: { id: true } });
    // Alice hosts (a party made here, or one of the previous test's if her creation limit is spent); Bob guesses.
    const created = await supergraph.gql(CREATE, { input: { profileId: aliceProfile.id, contentId: film.id } }, { token: alice.accessToken });
    const inviteCode: string =
      created.data?.createPartyWatch.inviteCode ?? (await database.db.partyWatchSession.findFirstOrThrow({ where: { hostProfileId: aliceProfile.id } })).inviteCode;
    const guesses = await Promise.all(
      Array.from({ length: 8 }, (_, i) => supergraph.gql(JOIN, { inviteCode: `ZZZZZZZ${"23456789"[i]}`, profileId: bobProfile.id }, { token: bob.accessToken })),
    );
    expect(guesses.map(codeOf).sort()).toEqual([...Array(4).fill("NOT_FOUND"), ...Array(4).fill("RATE_LIMITED")].sort());
    const limited = guesses.find((result) => codeOf(result) === "RATE_LIMITED");
    expect(limited?.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
    // The right code now waits too: what is limited is trying codes, not being wrong.
    expect(codeOf(await supergraph.gql(JOIN, { inviteCode, profileId: bobProfile.id }, { token: bob.accessToken }))).toBe("RATE_LIMITED");
    // Alice, another account, joins her own party with its code as often as she likes.
    for (let i = 0; i < 6; i += 1) {
      expect((await supergraph.gql(JOIN, { inviteCode, profileId: aliceProfile.id }, { token: alice.accessToken })).errors).toBeUndefined();
    }
  });
});
