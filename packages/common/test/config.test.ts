// Configuration is checked once at start: a bad value is refused with a message that names the variable.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { baseConfigSchema, ConfigurationError, loadConfigOrExit, loadSubgraphConfig, parseConfig, redisNamespace, subgraphConfigSchema } from "../src/index.ts";

function problem(env: Record<string, string>, schema: z.ZodType = baseConfigSchema): string {
  try {
    parseConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.message;
    throw error;
  }
  return "no error";
}

describe("configuration", () => {
  it("keeps the environment's Redis namespace when a subgraph then loads its own extra settings", () => {
    const env = { REDIS_NAMESPACE: "staging" };
    try {
      loadSubgraphConfig("social", env);
      expect(redisNamespace()).toBe("staging");
      // Social's party settings and notification's email settings are schemas of their own, loaded after.
      loadConfigOrExit(z.object({ PARTY_MAX_MEMBERS: z.coerce.number().default(8) }), env);
      expect(redisNamespace()).toBe("staging");
      loadConfigOrExit(z.object({}), { WATCHFLIXX_PORT_BASE: "4000" });
      expect(redisNamespace()).toBe("watchflixx-4000");
    } finally {
      loadConfigOrExit(z.object({}), {});
    }
    expect(redisNamespace()).toBe("watchflixx");
  });

  it("works with no variables at all, on this machine's defaults", () => {
    const config = loadSubgraphConfig("streaming", {});
    expect(config.DATABASE_URL).toBe("postgresql://postgres@127.0.0.1:5432/watchflixx");
    expect(config.REDIS_URL).toBe("redis://127.0.0.1:6379");
    expect(config.port).toBe(3003);
    expect(loadSubgraphConfig("streaming", { STREAMING_PORT: "4103" }).port).toBe(4103);
  });

  it("binds subgraphs to loopback unless SUBGRAPH_HOST says otherwise (containers set 0.0.0.0)", () => {
    expect(loadSubgraphConfig("auth", {}).host).toBe("127.0.0.1");
    expect(loadSubgraphConfig("auth", { SUBGRAPH_HOST: "0.0.0.0" }).host).toBe("0.0.0.0");
    expect(problem({ SUBGRAPH_HOST: " " }, subgraphConfigSchema("auth"))).toBe("SUBGRAPH_HOST must be an interface address such as 127.0.0.1 or 0.0.0.0");
  });

  it("names the variable and the problem", () => {
    expect(problem({ DATABASE_URL: "notaurl" })).toBe("DATABASE_URL must be a URL like postgresql://user@host:5432/database");
    expect(problem({ DATABASE_URL: "mysql://root@localhost/db" })).toMatch(/^DATABASE_URL must be a URL like postgresql:/);
    expect(problem({ DATABASE_URL: "postgresql://postgres@localhost" })).toBe(
      "DATABASE_URL must name a database (postgresql://user@host:5432/database)",
    );
    expect(problem({ REDIS_URL: "localhost:6379" })).toMatch(/^REDIS_URL must be a URL like redis:/);
    expect(problem({ JWT_ACCESS_SECRET: "short" })).toBe("JWT_ACCESS_SECRET must be at least 16 characters");
    expect(problem({ AUTH_PORT: "abc" }, subgraphConfigSchema("auth"))).toBe("AUTH_PORT must be a port number (1-65535)");
    expect(problem({ AUTH_PORT: "70000" }, subgraphConfigSchema("auth"))).toBe("AUTH_PORT must be a port number (1-65535)");
  });

  it("refuses the development secrets in production", () => {
    expect(problem({ NODE_ENV: "production" })).toBe("GATEWAY_SHARED_SECRET must be set in production");
    expect(problem({ NODE_ENV: "production", GATEWAY_SHARED_SECRET: "a-real-secret-of-32-characters!!" })).toBe(
      "JWT_ACCESS_SECRET must be set in production",
    );
  });
});
