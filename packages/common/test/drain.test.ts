// The graceful drain (src/drain.ts), on a plain HTTP server and real keep-alive clients: what an instance behind a
// Kubernetes Service must do when it stops, so that no client's request fails.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { trackHttpDrain } from "../src/drain.ts";

interface Reply {
  status: number;
  connection: string | undefined;
  body: string;
}

function get(port: number, path: string, agent: http.Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: "127.0.0.1", port, path, agent }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, connection: response.headers.connection, body }));
    });
    request.on("error", reject);
  });
}

const agents: http.Agent[] = [];
function keepAliveAgent(): http.Agent {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  agents.push(agent);
  return agent;
}

async function startServer(): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer((req, res) => {
    if (req.url === "/slow") setTimeout(() => res.end("slow"), 300);
    else res.end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

afterEach(() => {
  for (const agent of agents.splice(0)) agent.destroy();
});

describe("the graceful HTTP drain", () => {
  it("finishes in-flight requests, serves what arrives on open keep-alive connections, then closes them", async () => {
    const { server, port } = await startServer();
    const drain = trackHttpDrain(server, { graceMs: 10_000 });
    const idle = keepAliveAgent();
    const busy = keepAliveAgent();

    // A keep-alive connection, idle when the drain begins.
    expect(await get(port, "/", idle)).toEqual({ status: 200, connection: "keep-alive", body: "ok" });
    // A request in flight when the drain begins.
    const slow = get(port, "/slow", busy);
    await new Promise((resolve) => setTimeout(resolve, 50));

    const drained = drain.drain();
    expect(drain.draining).toBe(true);
    // The client sends on its idle connection right as the drain begins (what a gateway under load does): it is
    // answered, and told to close the connection. Node's server.close() would have closed it under the request.
    expect(await get(port, "/", idle)).toEqual({ status: 200, connection: "close", body: "ok" });
    expect(await slow).toEqual({ status: 200, connection: "close", body: "slow" });
    // No new connection is accepted.
    await expect(get(port, "/", keepAliveAgent())).rejects.toMatchObject({ code: "ECONNREFUSED" });
    // Every connection has ended: the drain is over.
    await drained;
    expect(server.listening).toBe(false);
  });

  it("leaves an idle connection to the keep-alive timeout the client was told, then is done", async () => {
    const { server, port } = await startServer();
    server.keepAliveTimeout = 3_000;
    const drain = trackHttpDrain(server, { graceMs: 60_000 });
    const agent = keepAliveAgent();
    const { headers, socket } = await new Promise<{ headers: http.IncomingHttpHeaders; socket: import("node:net").Socket }>((resolve, reject) => {
      const request = http.get({ host: "127.0.0.1", port, path: "/", agent }, (response) => {
        response.resume();
        response.on("end", () => resolve({ headers: response.headers, socket: request.socket as import("node:net").Socket }));
      });
      request.on("error", reject);
    });
    // The hint clients use to stop reusing a connection before the server closes it (Node's agent and undici drop it
    // 1-2 s before).
    expect(headers["keep-alive"]).toBe("timeout=3");
    let closed = false;
    socket.once("close", () => (closed = true));
    const drained = drain.drain();
    // Not closed by the drain: a request the client sent now would still be answered.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(closed).toBe(false);
    // Closed when its keep-alive time is over (here by the client, which knows it), and the drain ends with it,
    // long before the 60 s grace.
    await drained;
    expect(await new Promise((resolve) => server.getConnections((_error, count) => resolve(count)))).toBe(0);
  });
});
