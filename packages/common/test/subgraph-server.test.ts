// The shared subgraph plumbing, exercised on a tiny federated schema: SDL with @key, batched reference
// resolution, identity only with the gateway's signature, masked internal errors, health and readiness.
import { networkInterfaces } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, Directive, Field, ID, Info, ObjectType, Query, Resolver } from "type-graphql";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import {
  buildFederatedSchema,
  parseConfig,
  baseConfigSchema,
  rowLoader,
  signIdentityHeaders,
  startSubgraph,
  type RunningSubgraph,
  type SubgraphContext,
} from "../src/index.ts";

@Directive('@key(fields: "id")')
@ObjectType("Widget")
class Widget {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
}

let fetchCalls = 0;
const widgetLoaders = () => ({
  widget: rowLoader(async (ids: readonly string[]) => {
    fetchCalls += 1;
    return ids.filter((id) => id !== "missing").map((id) => ({ id, name: `widget ${id}` }));
  }, (row) => row.id),
});
type Loaders = ReturnType<typeof widgetLoaders>;

@Resolver(() => Widget)
class WidgetResolver {
  @Query(() => String, { nullable: true })
  whoAmI(@Ctx() ctx: SubgraphContext<Loaders>): string | null {
    return ctx.identity?.userId ?? null;
  }

  @Query(() => String)
  whereFrom(@Ctx() ctx: SubgraphContext<Loaders>): string {
    return ctx.clientAddress;
  }

  /** Whether a per-field cache-control hook ran for this field (Apollo's default plugin sets `info.cacheControl`). */
  @Query(() => Boolean)
  fieldCacheHookRan(@Info() info: GraphQLResolveInfo): boolean {
    return "cacheControl" in info;
  }

  @Query(() => String)
  explode(@Arg("why", () => String) why: string): string {
    throw new Error(`database said: ${why}`);
  }
}

describe("startSubgraph", () => {
  let database: TestDatabase;
  let server: RunningSubgraph;
  const config = parseConfig(baseConfigSchema, { NODE_ENV: "test" });

  beforeAll(async () => {
    database = await createTestDatabase();
    const { schema, sdl } = await buildFederatedSchema({
      resolvers: [WidgetResolver],
      orphanedTypes: [Widget],
      referenceResolvers: {
        Widget: { __resolveReference: (ref: { id: string }, ctx: SubgraphContext<Loaders>) => ctx.loaders.widget.load(ref.id) },
      },
    });
    expect(sdl).toContain('@key(fields: "id")');
    server = await startSubgraph(
      { name: "content", schema, sdl, createLoaders: widgetLoaders },
      // No host: the default, loopback only.
      { db: database.db, config, port: 0 },
    );
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  /** `headers` may be a function of the exact body sent (what the gateway's signature covers). */
  const post = async (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> | ((body: string) => Record<string, string>) = {}) => {
    const body = JSON.stringify({ query, variables });
    const response = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(typeof headers === "function" ? headers(body) : headers) },
      body,
    });
    return (await response.json()) as { data?: any; errors?: any[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };

  it("listens on 127.0.0.1 unless told otherwise: not reachable on the machine's other addresses", async () => {
    const address = server.httpServer.address();
    expect(typeof address === "object" && address?.address).toBe("127.0.0.1");
    const external = Object.values(networkInterfaces())
      .flat()
      .find((item) => item && item.family === "IPv4" && !item.internal);
    if (external) {
      const refused = await fetch(`http://${external.address}:${server.port}/health`).then(
        () => "answered",
        (error: unknown) => String((error as { cause?: { code?: string } }).cause?.code ?? error),
      );
      expect(refused).toBe("ECONNREFUSED");
    }
  });

  it("marks every response no-store, without a cache-control hook on each field", async () => {
    for (const query of ["{ fieldCacheHookRan }", '{ explode(why: "x") }']) {
      const response = await fetch(server.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
      expect(response.headers.get("cache-control")).toBe("no-store");
      const body = (await response.json()) as { data?: { fieldCacheHookRan?: boolean } };
      if (query.includes("fieldCacheHookRan")) expect(body.data?.fieldCacheHookRan).toBe(false);
    }
  });

  it("resolves 100 entity references with one batched fetch", async () => {
    fetchCalls = 0;
    const representations = Array.from({ length: 100 }, (_, i) => ({ __typename: "Widget", id: `w${i}` }));
    const result = await post(
      "query($r: [_Any!]!) { _entities(representations: $r) { ... on Widget { id name } } }",
      { r: [...representations, { __typename: "Widget", id: "missing" }] },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data._entities).toHaveLength(101);
    expect(result.data._entities[42]).toEqual({ id: "w42", name: "widget w42" });
    expect(result.data._entities[100]).toBeNull();
    expect(fetchCalls).toBe(1);
  });

  it("believes identity headers only with the gateway's signature", async () => {
    const user = { userId: "u-1", role: "USER", deviceId: null } as const;
    const signed = (body: string) => signIdentityHeaders(user, config.GATEWAY_SHARED_SECRET, { body });
    expect((await post("{ whoAmI }", {}, signed)).data.whoAmI).toBe("u-1");
    const forged = (body: string) => ({ ...signed(body), "x-watchflixx-user-id": "u-2" });
    expect((await post("{ whoAmI }", {}, forged)).data.whoAmI).toBeNull();
    const unsigned = { "x-watchflixx-user-id": "u-1", "x-watchflixx-user-role": "STAFF" };
    expect((await post("{ whoAmI }", {}, unsigned)).data.whoAmI).toBeNull();
    const wrongSecret = (body: string) => signIdentityHeaders({ ...user, role: "STAFF" }, "someone-elses-secret-value", { body });
    expect((await post("{ whoAmI }", {}, wrongSecret)).data.whoAmI).toBeNull();
  });

  it("believes a signature only for the body it was made for, and only within 30 seconds", async () => {
    const user = { userId: "u-1", role: "USER", deviceId: null } as const;
    let captured: Record<string, string> = {};
    const capture = (body: string) => (captured = signIdentityHeaders(user, config.GATEWAY_SHARED_SECRET, { body }));
    expect((await post("{ whoAmI }", { first: 1 }, capture)).data.whoAmI).toBe("u-1");
    // The captured header set, replayed with another body (another query, other variables): anonymous.
    expect((await post("{ whoAmI }", { first: 2 }, captured)).data.whoAmI).toBeNull();
    expect((await post("{ whoAmI explode(why: \"x\") }", {}, captured)).data?.whoAmI ?? null).toBeNull();
    // Signed 31 s ago (or 31 s ahead), for this very body: too old.
    for (const now of [Date.now() - 31_000, Date.now() + 31_000]) {
      const stale = (body: string) => signIdentityHeaders(user, config.GATEWAY_SHARED_SECRET, { body, now });
      expect((await post("{ whoAmI }", {}, stale)).data.whoAmI).toBeNull();
    }
    const recent = (body: string) => signIdentityHeaders(user, config.GATEWAY_SHARED_SECRET, { body, now: Date.now() - 20_000 });
    expect((await post("{ whoAmI }", {}, recent)).data.whoAmI).toBe("u-1");
  });

  it("takes the client address from the signed headers, and the socket's for a request the gateway did not sign", async () => {
    const signed = (body: string) => signIdentityHeaders(null, config.GATEWAY_SHARED_SECRET, { body, clientAddress: "203.0.113.7" });
    expect((await post("{ whereFrom }", {}, signed)).data.whereFrom).toBe("203.0.113.7");
    const tampered = (body: string) => ({ ...signed(body), "x-watchflixx-client-address": "198.51.100.1" });
    expect((await post("{ whereFrom }", {}, tampered)).data.whereFrom).toBe("127.0.0.1");
    expect((await post("{ whereFrom }")).data.whereFrom).toBe("127.0.0.1");
  });

  it("masks internal errors", async () => {
    const result = await post('{ explode(why: "relation users does not exist") }');
    expect(result.errors?.[0].extensions.code).toBe("INTERNAL_SERVER_ERROR");
    expect(JSON.stringify(result)).not.toContain("relation users");
    expect(JSON.stringify(result)).not.toContain("stacktrace");
  });

  it("answers health and readiness", async () => {
    const base = server.url.replace("/graphql", "");
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: "ok", service: "content" });
    expect((await fetch(`${base}/ready`)).status).toBe(200);
  });
});
