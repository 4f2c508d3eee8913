// The auth subgraph behind the real gateway: the contract's web/auth.graphql operations and the TV pairing
// operations of tv/home.graphql, sent as the files spell them, with access tokens as clients send them.
// A stand-in "social" subgraph references profiles the way reviews and parties do, to check what a
// stranger's profile shows through the gateway.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Arg, Directive, Field, ID, ObjectType, Query, Resolver } from "type-graphql";
import { buildFederatedSchema, type SubgraphDefinition } from "@watchflixx/common";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { codeOf, contractOperation, type RunningSupergraph, startSupergraph, withoutFields } from "@watchflixx/testing";
import { authSubgraph } from "../src/index.ts";

const op = (name: string) => contractOperation("web/auth.graphql", name);
const tvOp = (name: string) => contractOperation("tv/home.graphql", name);
// `me.subscription` belongs to the payment subgraph, which this test does not start.
const ME = withoutFields(op("Me"), ["subscription"]);

// A stand-in for the subgraphs that show other accounts' profiles (reviews, party members).
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType("Profile")
class ProfileReference {
  @Field(() => ID) id!: string;
}

@Resolver()
class PartyStandIn {
  @Query(() => [ProfileReference], { description: "Test only: profiles by id, as a party's member list would give them." })
  standInPartyMembers(@Arg("profileIds", () => [ID]) profileIds: string[]): ProfileReference[] {
    return profileIds.map((id) => ({ id }));
  }
}

async function partyStandIn(): Promise<SubgraphDefinition> {
  const { schema, sdl } = await buildFederatedSchema({ resolvers: [PartyStandIn], orphanedTypes: [ProfileReference] });
  return { name: "social", schema, sdl, createLoaders: () => ({}) };
}

describe("auth through the gateway", () => {
  let database: TestDatabase;
  let supergraph: RunningSupergraph;
  let accounts = 0;

  beforeAll(async () => {
    database = await createTestDatabase();
    supergraph = await startSupergraph({ db: database.db, subgraphs: [authSubgraph, await partyStandIn()] });
  });
  afterAll(async () => {
    await supergraph?.stop();
    await database?.drop();
  });

  async function newAccount(password = "gateway password") {
    accounts += 1;
    const input = { email: `Gateway.User${accounts}@Example.com`, password, name: `Gateway User ${accounts}` };
    const result = await supergraph.gql(op("SignUp"), { input });
    expect(result.errors).toBeUndefined();
    return { input, ...(result.data.signUp as { accessToken: string; refreshToken: string; user: { id: string; email: string; name: string } }) };
  }

  async function createProfile(token: string, input: Record<string, unknown>) {
    const result = await supergraph.gql(op("CreateProfile"), { input }, { token });
    expect(result.errors).toBeUndefined();
    return result.data.createProfile as { id: string; name: string; isKids: boolean; maturityRating: string; version: number };
  }

  it("SignUp, SignIn and Me", async () => {
    const account = await newAccount();
    expect(account.user).toEqual({ id: expect.any(String), email: account.input.email.toLowerCase(), name: account.input.name });

    const signIn = await supergraph.gql(op("SignIn"), {
      input: { email: account.input.email, password: account.input.password, deviceName: "Phone", deviceType: "MOBILE" },
    });
    expect(signIn.errors).toBeUndefined();
    expect(signIn.data.signIn.user).toEqual({ id: account.user.id, email: account.user.email });

    const me = await supergraph.gql(ME, {}, { token: signIn.data.signIn.accessToken });
    expect(me.errors).toBeUndefined();
    expect(me.data.me).toMatchObject({ id: account.user.id, email: account.user.email, name: account.input.name, profiles: [] });
    expect(me.data.me.devices.map((device: { name: string; type: string }) => [device.name, device.type]).sort()).toEqual([
      ["Phone", "MOBILE"],
      ["Web browser", "WEB"],
    ]);

    const anonymous = await supergraph.gql(ME);
    expect(codeOf(anonymous)).toBe("UNAUTHENTICATED");
    expect(anonymous.data?.me ?? null).toBeNull();
  });

  it("SignIn with a wrong password is UNAUTHENTICATED", async () => {
    const account = await newAccount();
    const result = await supergraph.gql(op("SignIn"), { input: { email: account.input.email, password: "not the password" } });
    expect(codeOf(result)).toBe("UNAUTHENTICATED");
  });

  it.each([
    ["a malformed email", { email: "no-at-sign.example.com", password: "long enough pw", name: "Bad" }],
    ["a 3-character password", { email: "three@example.com", password: "abc", name: "Bad" }],
  ])("SignUp with %s is BAD_USER_INPUT and writes no user", async (_label, input) => {
    const before = await database.db.user.count();
    const result = await supergraph.gql(op("SignUp"), { input });
    expect(codeOf(result)).toBe("BAD_USER_INPUT");
    expect(await database.db.user.count()).toBe(before);
  });

  it("CreateProfile, UpdateProfile (stale version: CONFLICT), DeleteProfile", async () => {
    const { accessToken: token } = await newAccount();
    const profile = await createProfile(token, { name: "Kid", isKids: true });
    expect(profile).toMatchObject({ name: "Kid", isKids: true, maturityRating: "PG", version: 1 });

    const updated = await supergraph.gql(op("UpdateProfile"), { id: profile.id, input: { expectedVersion: 1, name: "Kiddo", maturityRating: "G" } }, { token });
    expect(updated.errors).toBeUndefined();
    expect(updated.data.updateProfile).toEqual({ id: profile.id, name: "Kiddo", maturityRating: "G", version: 2 });

    const stale = await supergraph.gql(op("UpdateProfile"), { id: profile.id, input: { expectedVersion: 1, name: "Stale" } }, { token });
    expect(codeOf(stale)).toBe("CONFLICT");
    const me = await supergraph.gql(ME, {}, { token });
    expect(me.data.me.profiles).toEqual([
      { id: profile.id, name: "Kiddo", isKids: true, maturityRating: "G", avatarUrl: null, version: 2 },
    ]);

    expect((await supergraph.gql(op("DeleteProfile"), { id: profile.id }, { token })).data).toEqual({ deleteProfile: true });
    expect((await supergraph.gql(op("DeleteProfile"), { id: profile.id }, { token })).data).toEqual({ deleteProfile: false });
  });

  it("refuses a 6th profile", async () => {
    const { accessToken: token } = await newAccount();
    for (let i = 1; i <= 5; i += 1) await createProfile(token, { name: `Profile ${i}` });
    const sixth = await supergraph.gql(op("CreateProfile"), { input: { name: "Profile 6" } }, { token });
    expect(codeOf(sixth)).toBe("FORBIDDEN");
    expect((await supergraph.gql(ME, {}, { token })).data.me.profiles).toHaveLength(5);
  });

  it("user B can neither read nor change user A's profiles (NOT_FOUND)", async () => {
    const a = await newAccount();
    const b = await newAccount();
    const profile = await createProfile(a.accessToken, { name: "A's" });

    const read = await supergraph.gql(`query ($id: ID!) { profile(id: $id) { id name isKids } }`, { id: profile.id }, { token: b.accessToken });
    expect(read.data).toEqual({ profile: null });
    expect(codeOf(read)).toBe("NOT_FOUND");
    const change = await supergraph.gql(op("UpdateProfile"), { id: profile.id, input: { expectedVersion: 1, name: "B's" } }, { token: b.accessToken });
    expect(codeOf(change)).toBe("NOT_FOUND");
    expect((await supergraph.gql(op("DeleteProfile"), { id: profile.id }, { token: b.accessToken })).data).toEqual({ deleteProfile: false });

    const stillThere = await supergraph.gql(`query ($id: ID!) { profile(id: $id) { name version } }`, { id: profile.id }, { token: a.accessToken });
    expect(stillThere.data).toEqual({ profile: { name: "A's", version: 1 } });
  });

  it("another account's profile reached through another subgraph shows only id, name and avatarUrl", async () => {
    const a = await newAccount();
    const b = await newAccount();
    const profile = await createProfile(a.accessToken, { name: "Host", isKids: true, avatarUrl: "https://cdn.example.com/host.png" });
    const query = `query ($ids: [ID!]!) { standInPartyMembers(profileIds: $ids) { id name avatarUrl isKids maturityRating version } }`;

    const asStranger = await supergraph.gql(query, { ids: [profile.id] }, { token: b.accessToken });
    expect(asStranger.data?.standInPartyMembers).toEqual([
      { id: profile.id, name: "Host", avatarUrl: "https://cdn.example.com/host.png", isKids: null, maturityRating: null, version: null },
    ]);
    expect(asStranger.errors?.map((error) => error.extensions?.code)).toEqual(["FORBIDDEN", "FORBIDDEN", "FORBIDDEN"]);

    const asOwner = await supergraph.gql(query, { ids: [profile.id] }, { token: a.accessToken });
    expect(asOwner.errors).toBeUndefined();
    expect(asOwner.data?.standInPartyMembers).toEqual([
      { id: profile.id, name: "Host", avatarUrl: "https://cdn.example.com/host.png", isKids: true, maturityRating: "PG", version: 1 },
    ]);
  });

  it("RefreshToken rotates; reusing the old token revokes the family; SignOut ends the session", async () => {
    const account = await newAccount();
    const rotated = await supergraph.gql(op("RefreshToken"), { refreshToken: account.refreshToken });
    expect(rotated.errors).toBeUndefined();
    const { accessToken, refreshToken } = rotated.data.refreshToken as { accessToken: string; refreshToken: string };
    expect(refreshToken).not.toBe(account.refreshToken);
    expect((await supergraph.gql(ME, {}, { token: accessToken })).data.me.id).toBe(account.user.id);

    const reuse = await supergraph.gql(op("RefreshToken"), { refreshToken: account.refreshToken });
    expect(codeOf(reuse)).toBe("UNAUTHENTICATED");
    expect(codeOf(await supergraph.gql(op("RefreshToken"), { refreshToken }))).toBe("UNAUTHENTICATED");

    // A fresh session, then sign out of it.
    const session = (await supergraph.gql(op("SignIn"), { input: { email: account.input.email, password: account.input.password } })).data.signIn;
    expect((await supergraph.gql(op("SignOut"), {}, { token: session.accessToken })).data).toEqual({ signOut: true });
    expect((await supergraph.gql(op("SignOut"), {}, { token: session.accessToken })).data).toEqual({ signOut: false });
    expect(codeOf(await supergraph.gql(op("RefreshToken"), { refreshToken: session.refreshToken }))).toBe("UNAUTHENTICATED");
    expect(codeOf(await supergraph.gql(op("SignOut")))).toBe("UNAUTHENTICATED");
  });

  it("pairs a TV: StartDevicePairing, ApproveDevicePairing, CompleteDevicePairing", async () => {
    const phone = await newAccount();
    const started = await supergraph.gql(tvOp("StartDevicePairing"), { deviceName: "Den TV" });
    expect(started.errors).toBeUndefined();
    const { pairingCode } = started.data.startDevicePairing as { pairingCode: string; expiresAt: string };

    const early = await supergraph.gql(tvOp("CompleteDevicePairing"), { pairingCode });
    expect(codeOf(early)).toBe("FORBIDDEN");

    const approved = await supergraph.gql(tvOp("ApproveDevicePairing"), { pairingCode }, { token: phone.accessToken });
    expect(approved.errors).toBeUndefined();
    expect(approved.data.approveDevicePairing).toEqual({ id: expect.any(String), name: "Den TV", type: "TV" });

    const completed = await supergraph.gql(tvOp("CompleteDevicePairing"), { pairingCode });
    expect(completed.errors).toBeUndefined();
    const tvSession = completed.data.completeDevicePairing as { accessToken: string; refreshToken: string; user: { id: string } };
    expect(tvSession.user).toEqual({ id: phone.user.id });
    // The TV is signed in as the account, on its own device.
    const me = await supergraph.gql(ME, {}, { token: tvSession.accessToken });
    expect(me.data.me.id).toBe(phone.user.id);
    expect(me.data.me.devices).toContainEqual({ id: approved.data.approveDevicePairing.id, name: "Den TV", type: "TV", lastSeenAt: expect.any(String) });

    expect(codeOf(await supergraph.gql(tvOp("CompleteDevicePairing"), { pairingCode }))).toBe("NOT_FOUND");
  });

  it("an expired pairing code is NOT_FOUND", async () => {
    const phone = await newAccount();
    const { pairingCode } = (await supergraph.gql(tvOp("StartDevicePairing"), { deviceName: "Old TV" })).data.startDevicePairing;
    await database.db.devicePairing.update({ where: { code: pairingCode }, data: { expiresAt: new Date(Date.now() - 60_000) } });
    expect(codeOf(await supergraph.gql(tvOp("ApproveDevicePairing"), { pairingCode }, { token: phone.accessToken }))).toBe("NOT_FOUND");
    expect(codeOf(await supergraph.gql(tvOp("CompleteDevicePairing"), { pairingCode }))).toBe("NOT_FOUND");
  });
});
