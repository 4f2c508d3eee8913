// Which address a request came from, for the per-address rate limits and for the subgraphs (signed). With
// TRUSTED_PROXY_HOPS = 0 (the default) the socket's peer, whatever X-Forwarded-For says (a client can write
// anything there). Behind N proxies we run (load balancer, ingress), each appends the address it saw to
// X-Forwarded-For: the client is the entry N from the right of [X-Forwarded-For..., socket peer], i.e. the
// address the outermost trusted proxy saw; entries further left were written by the client and are ignored.
import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";

export function clientAddressOf(req: IncomingMessage, trustedProxyHops: number): string {
  const peer = normalize(req.socket.remoteAddress ?? "unknown");
  if (trustedProxyHops === 0) return peer;
  const forwarded = [req.headers["x-forwarded-for"]]
    .flat()
    .filter((value): value is string => typeof value === "string")
    .join(",")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
  const nearestFirst = [peer, ...forwarded.reverse()];
  const candidate = nearestFirst[Math.min(trustedProxyHops, nearestFirst.length - 1)] ?? peer;
  const address = normalize(candidate);
  return isIP(address) ? address : peer;
}

function normalize(address: string): string {
  return address.startsWith("::ffff:") ? address.slice("::ffff:".length) : address;
}
