// The demo accounts the seed creates sign in through this subgraph, and see their own profiles only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import { DEMO_PASSWORD } from "@watchflixx/db/seed";
import { verifyAccessToken } from "@watchflixx/common";
import { codeOf, startTestSubgraph } from "@watchflixx/testing";
import { authSubgraph } from "../src/index.ts";
import type { AuthServer } from "./helpers.ts";

describe("seeded demo accounts", () => {
  let database: TestDatabase;
  let server: AuthServer;

  beforeAll(async () => {
    database = await createTestDatabase({ seeded: true });
    server = await startTestSubgraph(authSubgraph, { db: database.db });
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  async function signIn(email: string) {
    const result = await server.gql(`mutation ($input: SignInInput!) { signIn(input: $input) { accessToken user { id role } } }`, {
      input: { email, password: DEMO_PASSWORD },
    });
    expect(result.errors).toBeUndefined();
    const verified = await verifyAccessToken(result.data.signIn.accessToken, server.deps.config.JWT_ACCESS_SECRET);
    if (!("identity" in verified)) throw new Error("token did not verify");
    return { user: result.data.signIn.user as { id: string; role: string }, identity: verified.identity };
  }

  it("alice signs in with the demo password and sees her profiles, the kids one held at PG or below", async () => {
    const alice = await signIn("alice@watchflixx.dev");
    const me = await server.gql(`{ me { email profiles { name isKids maturityRating } } }`, {}, alice.identity);
    expect(me.errors).toBeUndefined();
    expect(me.data.me.email).toBe("alice@watchflixx.dev");
    const kids = me.data.me.profiles.filter((profile: { isKids: boolean }) => profile.isKids);
    expect(kids.length).toBeGreaterThan(0);
    for (const profile of kids) expect(["G", "PG"]).toContain(profile.maturityRating);
  });

  it("the staff account signs in with the STAFF role; bob cannot open alice's profiles", async () => {
    expect((await signIn("staff@watchflixx.dev")).user.role).toBe("STAFF");
    const bob = await signIn("bob@watchflixx.dev");
    const aliceProfile = await database.db.profile.findFirstOrThrow({ where: { user: { email: "alice@watchflixx.dev" } } });
    const result = await server.gql(`query ($id: ID!) { profile(id: $id) { id name } }`, { id: aliceProfile.id }, bob.identity);
    expect(result.data).toEqual({ profile: null });
    expect(codeOf(result)).toBe("NOT_FOUND");
  });
});
