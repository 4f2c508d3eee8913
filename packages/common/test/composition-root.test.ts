// The composition root: a subgraph's config from its own schema, its deps built once and handed to its create
// function, its services injected into the resolvers, and on stop only what was built for it closed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Query, Resolver } from "type-graphql";
import { z } from "zod";
import { createTestDatabase, type TestDatabase } from "@watchflixx/db/testing";
import {
  buildFederatedSchema,
  ConfigurationError,
  defineSubgraphConfig,
  inProcessBus,
  launchSubgraph,
  parseConfig,
  schemaOnlyDeps,
  signIdentityHeaders,
  type ConfigOf,
  type SubgraphDeps,
  type SubgraphModule,
} from "../src/index.ts";

const greeterConfigSchema = defineSubgraphConfig("social", { GREETING: z.string().min(1, "must not be empty").default("hello") });
type GreeterConfig = ConfigOf<typeof greeterConfigSchema>;

/** A service built once from deps: it answers with the configured greeting and the database's name. */
class GreetingService {
  constructor(private readonly deps: Pick<SubgraphDeps<GreeterConfig>, "db" | "config">) {}
  async greet(): Promise<string> {
    const [row] = await this.deps.db.$queryRaw<{ database: string }[]>`SELECT current_database() AS database`;
    return `${this.deps.config.GREETING} from ${row?.database}`;
  }
}

@Resolver()
class GreetingResolver {
  constructor(private readonly greetings: GreetingService) {}
  @Query(() => String)
  greeting(): Promise<string> {
    return this.greetings.greet();
  }
}

describe("the composition root", () => {
  let database: TestDatabase;
  const built: SubgraphDeps<GreeterConfig>[] = [];
  const greeter: SubgraphModule<GreeterConfig> = {
    name: "social",
    configSchema: greeterConfigSchema,
    async create(deps) {
      built.push(deps);
      const { schema, sdl } = await buildFederatedSchema({ resolverInstances: [new GreetingResolver(new GreetingService(deps))] });
      return { name: "social", schema, sdl, createLoaders: () => ({}) };
    },
  };

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("parses a subgraph's own settings with the base, its port and its host; a bad one names its variable", () => {
    const config = parseConfig(greeterConfigSchema, { GREETING: "hi", SOCIAL_PORT: "4105", SUBGRAPH_HOST: "0.0.0.0" });
    expect(config).toMatchObject({ GREETING: "hi", port: 4105, host: "0.0.0.0", LOG_LEVEL: "info" });
    expect(parseConfig(greeterConfigSchema, {}).port).toBe(3005);
    expect(() => parseConfig(greeterConfigSchema, { GREETING: "" })).toThrow(new ConfigurationError("GREETING must not be empty"));
  });

  it("builds the deps once, hands them to create, serves the injected services, and closes only what it built", async () => {
    const bus = inProcessBus();
    const config = parseConfig(greeterConfigSchema, { NODE_ENV: "test", LOG_LEVEL: "error", GREETING: "bonjour" });
    const running = await launchSubgraph(greeter, { config, given: { db: database.db, bus }, port: 0, host: "127.0.0.1" });
    try {
      expect(built).toHaveLength(1);
      expect(built[0]).toBe(running.deps);
      expect(running.deps.name).toBe("social");
      expect(running.deps.db).toBe(database.db);
      expect(running.deps.bus).toBe(bus);
      expect(running.deps.config).toBe(config);
      const body = JSON.stringify({ query: "{ greeting }" });
      const response = await fetch(running.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...signIdentityHeaders(null, config.GATEWAY_SHARED_SECRET, { body }) },
        body,
      });
      expect(await response.json()).toEqual({ data: { greeting: `bonjour from ${new URL(database.url).pathname.slice(1)}` } });
      // One pub/sub for the subgraph, however often it is asked for.
      expect(running.deps.subscriptionPubSub()).toBe(running.deps.subscriptionPubSub());
    } finally {
      await running.stop();
    }
    // The database and the bus were handed in: still open.
    await expect(database.db.$queryRaw`SELECT 1`).resolves.toBeDefined();
    await expect(bus.announce("still-open", "yes")).resolves.toBeUndefined();
    await bus.close();
  });

  it("builds a subgraph for its schema alone without touching a database", async () => {
    const deps = schemaOnlyDeps("social", parseConfig(greeterConfigSchema, {}));
    const definition = await greeter.create(deps);
    expect(definition.sdl).toContain("greeting: String!");
    expect(() => deps.db.$queryRaw).toThrow(/used while building the subgraph for its schema only/);
  });
});
