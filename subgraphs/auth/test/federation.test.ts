// The entities other subgraphs reference: Profile resolves for any id but shows a stranger only id, name and
// avatarUrl; User and Device resolve only for their own account (and staff). Reference resolution is batched:
// the SQL statements the subgraph sends are counted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Identity } from "@watchflixx/common";
import { signUp, startAuth, type AuthHarness } from "./helpers.ts";

const PROFILE_ENTITIES = `query ($r: [_Any!]!) {
  _entities(representations: $r) { ... on Profile { id name avatarUrl isKids maturityRating version hasPin createdAt settings { language } } }
}`;
const PUBLIC_PROFILE_ENTITIES = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Profile { id name avatarUrl } } }`;
const USER_ENTITIES = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { id email profiles { id name } } } }`;
const DEVICE_ENTITIES = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Device { id name } } }`;

const profileRef = (id: string) => ({ __typename: "Profile", id });
const PRIVATE_FIELDS = ["isKids", "maturityRating", "version", "hasPin", "createdAt", "settings"];

describe("entities", () => {
  let auth: AuthHarness;
  let alice: Identity;
  let bob: Identity;
  let aliceProfileId: string;

  beforeAll(async () => {
    auth = await startAuth();
    alice = (await signUp(auth, { name: "Alice" })).identity;
    bob = (await signUp(auth, { name: "Bob" })).identity;
    const created = await auth.gql(
      `mutation { createProfile(input: { name: "Alice", isKids: true, avatarUrl: "https://cdn.example.com/alice.png", pin: "1234" }) { id } }`,
      {},
      alice,
    );
    aliceProfileId = created.data.createProfile.id;
  });
  afterAll(async () => {
    await auth?.stop();
  });

  describe("Profile", () => {
    it("answers every field to the owning account", async () => {
      const result = await auth.gql(PROFILE_ENTITIES, { r: [profileRef(aliceProfileId)] }, alice);
      expect(result.errors).toBeUndefined();
      expect(result.data._entities[0]).toMatchObject({
        id: aliceProfileId,
        name: "Alice",
        avatarUrl: "https://cdn.example.com/alice.png",
        isKids: true,
        maturityRating: "PG",
        version: 1,
        hasPin: true,
        settings: { language: "en" },
      });
    });

    it("shows another account only id, name and avatarUrl: every other field is null with FORBIDDEN", async () => {
      const result = await auth.gql(PROFILE_ENTITIES, { r: [profileRef(aliceProfileId)] }, bob);
      const entity = result.data._entities[0];
      expect(entity).toEqual({
        id: aliceProfileId,
        name: "Alice",
        avatarUrl: "https://cdn.example.com/alice.png",
        isKids: null,
        maturityRating: null,
        version: null,
        hasPin: null,
        createdAt: null,
        settings: null,
      });
      const forbidden = (result.errors ?? []).map((error) => [error.path?.at(-1), error.extensions?.code]);
      expect(forbidden.sort()).toEqual(PRIVATE_FIELDS.map((field) => [field, "FORBIDDEN"]).sort());
      // Nothing of the private data is in the response, in any form.
      expect(JSON.stringify(result)).not.toMatch(/"PG"|pinHash|1234/);
    });

    it("shows an anonymous caller the public fields only", async () => {
      const publicOnly = await auth.gql(PUBLIC_PROFILE_ENTITIES, { r: [profileRef(aliceProfileId)] });
      expect(publicOnly).toEqual({ data: { _entities: [{ id: aliceProfileId, name: "Alice", avatarUrl: "https://cdn.example.com/alice.png" }] } });
      const withPrivate = await auth.gql(PROFILE_ENTITIES, { r: [profileRef(aliceProfileId)] });
      expect(withPrivate.data._entities[0].isKids).toBeNull();
      expect(withPrivate.errors?.every((error) => error.extensions?.code === "FORBIDDEN")).toBe(true);
    });

    it("resolves an unknown id as null", async () => {
      const result = await auth.gql(PUBLIC_PROFILE_ENTITIES, { r: [profileRef("00000000-0000-0000-0000-000000000000")] }, bob);
      expect(result).toEqual({ data: { _entities: [null] } });
    });

    it("resolves 40 profile references with one SQL statement", async () => {
      const ids: string[] = [];
      for (let account = 0; account < 8; account += 1) {
        const { identity } = await signUp(auth);
        for (let i = 0; i < 5; i += 1) {
          const created = await auth.gql(`mutation ($n: String!) { createProfile(input: { name: $n }) { id } }`, { n: `P${i}` }, identity);
          ids.push(created.data.createProfile.id);
        }
      }
      auth.counter.reset();
      const result = await auth.gql(PUBLIC_PROFILE_ENTITIES, { r: ids.map(profileRef) }, bob);
      expect(result.errors).toBeUndefined();
      expect(result.data._entities.map((entity: { id: string }) => entity.id)).toEqual(ids);
      expect(auth.counter.statements()).toHaveLength(1);
      expect(auth.counter.statements()[0]?.text).toMatch(/FROM "public"\."profiles"/);
    });
  });

  describe("User", () => {
    it("resolves only for the account itself: another account gets null, without a query", async () => {
      const own = await auth.gql(USER_ENTITIES, { r: [{ __typename: "User", id: alice.userId }] }, alice);
      expect(own.data._entities[0]).toMatchObject({ id: alice.userId, profiles: [{ id: aliceProfileId, name: "Alice" }] });

      auth.counter.reset();
      const stranger = await auth.gql(USER_ENTITIES, { r: [{ __typename: "User", id: alice.userId }] }, bob);
      expect(stranger).toEqual({ data: { _entities: [null] } });
      expect(await auth.gql(USER_ENTITIES, { r: [{ __typename: "User", id: alice.userId }] })).toEqual({ data: { _entities: [null] } });
      expect(auth.counter.statements()).toHaveLength(0);
    });

    it("resolves for staff, batched: N users and their profiles in two SQL statements", async () => {
      const staff = await signUp(auth, { name: "Support" });
      await auth.db.user.update({ where: { id: staff.user.id }, data: { role: "STAFF" } });
      const staffIdentity: Identity = { ...staff.identity, role: "STAFF" };
      auth.counter.reset();
      const result = await auth.gql(
        USER_ENTITIES,
        { r: [alice.userId, bob.userId, staff.user.id].map((id) => ({ __typename: "User", id })) },
        staffIdentity,
      );
      expect(result.errors).toBeUndefined();
      expect(result.data._entities.map((user: { id: string }) => user.id)).toEqual([alice.userId, bob.userId, staff.user.id]);
      expect(auth.counter.statements()).toHaveLength(2);
    });
  });

  describe("Device", () => {
    it("resolves only for its own account", async () => {
      const ref = [{ __typename: "Device", id: alice.deviceId }];
      expect((await auth.gql(DEVICE_ENTITIES, { r: ref }, alice)).data._entities[0]).toMatchObject({ id: alice.deviceId });
      expect(await auth.gql(DEVICE_ENTITIES, { r: ref }, bob)).toEqual({ data: { _entities: [null] } });
    });
  });
});
