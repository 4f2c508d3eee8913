// A second environment on one machine: WATCHFLIXX_PORT_BASE moves the gateway and the seven subgraphs, the
// gateway's subgraph URLs follow the ports (in static mode too, over the supergraph file's URLs), and the
// Redis namespace moves with them.
import { describe, expect, it } from "vitest";
import { environmentPorts, loadSubgraphConfig, redisNamespaceOf, parseConfig, baseConfigSchema, SERVICE_NAMES } from "@watchflixx/common";
import { parseGatewayConfig } from "@watchflixx/router";

describe("one variable moves an environment", () => {
  it("defaults to today's ports, URLs and Redis names", () => {
    const config = parseGatewayConfig({});
    expect(config.GATEWAY_PORT).toBe(3000);
    expect(config.subgraphUrls.auth).toBe("http://127.0.0.1:3001/graphql");
    expect(config.subgraphUrls.notification).toBe("http://127.0.0.1:3007/graphql");
    expect(config.subgraphUrlOverrides).toEqual({});
    expect(redisNamespaceOf(parseConfig(baseConfigSchema, {}))).toBe("watchflixx");
  });

  it("WATCHFLIXX_PORT_BASE=4100 puts the gateway on 4100, each subgraph on 4101-4107, and the gateway calls those", () => {
    const env = { WATCHFLIXX_PORT_BASE: "4100" };
    const ports = environmentPorts(env);
    expect(ports.gateway).toBe(4100);
    expect(Object.values(ports.services)).toEqual([4101, 4102, 4103, 4104, 4105, 4106, 4107]);
    for (const service of SERVICE_NAMES) expect(loadSubgraphConfig(service, env).port).toBe(ports.services[service]);

    const gateway = parseGatewayConfig({ ...env, SUPERGRAPH_MODE: "static" });
    expect(gateway.GATEWAY_PORT).toBe(4100);
    // Static mode serves the registry's supergraph, which records 3001-3007: every URL is replaced.
    expect(gateway.subgraphUrlOverrides).toEqual(
      Object.fromEntries(SERVICE_NAMES.map((service) => [service, `http://127.0.0.1:${ports.services[service]}/graphql`])),
    );
    expect(redisNamespaceOf(parseConfig(baseConfigSchema, env))).toBe("watchflixx-4100");
  });

  it("an unset <SERVICE>_URL follows <SERVICE>_PORT; a set one wins", () => {
    const gateway = parseGatewayConfig({ CONTENT_PORT: "4202", AUTH_URL: "http://auth.internal:9000/graphql", AUTH_PORT: "4201" });
    expect(gateway.subgraphUrls.content).toBe("http://127.0.0.1:4202/graphql");
    expect(gateway.subgraphUrls.auth).toBe("http://auth.internal:9000/graphql");
    expect(gateway.subgraphUrls.streaming).toBe("http://127.0.0.1:3003/graphql");
    expect(Object.keys(gateway.subgraphUrlOverrides).sort()).toEqual(["auth", "content"]);
  });

  it("REDIS_NAMESPACE names the namespace explicitly and refuses characters that would leak into other keys", () => {
    expect(redisNamespaceOf(parseConfig(baseConfigSchema, { REDIS_NAMESPACE: "staging", WATCHFLIXX_PORT_BASE: "4100" }))).toBe("staging");
    expect(() => parseConfig(baseConfigSchema, { REDIS_NAMESPACE: "a*b" })).toThrow(/^REDIS_NAMESPACE must be letters/);
    expect(() => parseGatewayConfig({ WATCHFLIXX_PORT_BASE: "seventy" })).toThrow(/^WATCHFLIXX_PORT_BASE must be a port number/);
  });
});
