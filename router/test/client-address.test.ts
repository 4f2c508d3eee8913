// Which address a request is counted against: the socket's peer unless proxies are trusted, then the address
// the outermost trusted proxy saw; what a client writes into X-Forwarded-For itself never counts.
import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { clientAddressOf } from "../src/client-address.ts";
import { parseGatewayConfig } from "../src/config.ts";

const request = (peer: string, forwardedFor?: string) =>
  ({ socket: { remoteAddress: peer }, headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {} }) as unknown as IncomingMessage;

describe("clientAddressOf", () => {
  it("trusts no proxy by default: the socket's peer, whatever X-Forwarded-For claims", () => {
    expect(clientAddressOf(request("::ffff:203.0.113.5", "1.2.3.4"), 0)).toBe("203.0.113.5");
    expect(clientAddressOf(request("2001:db8::1"), 0)).toBe("2001:db8::1");
  });

  it("behind N trusted proxies, takes the address the outermost one saw and ignores what the client prepended", () => {
    // client (forged "1.2.3.4") → load balancer (saw 198.51.100.7) → gateway (peer 10.0.0.2)
    expect(clientAddressOf(request("10.0.0.2", "1.2.3.4, 198.51.100.7"), 1)).toBe("198.51.100.7");
    // client → CDN (saw 198.51.100.7) → ingress (saw 10.1.0.9, the CDN) → gateway (peer 10.0.0.2)
    expect(clientAddressOf(request("10.0.0.2", "1.2.3.4, 198.51.100.7, 10.1.0.9"), 2)).toBe("198.51.100.7");
    // Fewer entries than trusted hops: the furthest there is; garbage: the peer.
    expect(clientAddressOf(request("10.0.0.2", "198.51.100.7"), 3)).toBe("198.51.100.7");
    expect(clientAddressOf(request("10.0.0.2", "not-an-address"), 1)).toBe("10.0.0.2");
  });

  it("reads TRUSTED_PROXY_HOPS from the configuration (default 0)", () => {
    expect(parseGatewayConfig({}).TRUSTED_PROXY_HOPS).toBe(0);
    expect(parseGatewayConfig({ TRUSTED_PROXY_HOPS: "2" }).TRUSTED_PROXY_HOPS).toBe(2);
    expect(() => parseGatewayConfig({ TRUSTED_PROXY_HOPS: "-1" })).toThrow(/TRUSTED_PROXY_HOPS/);
  });
});
