// Replicas in one process, as a Kubernetes deployment runs them: several instances of every subgraph and of the
// gateway, each subgraph's instances behind a connection-balancing proxy (what a ClusterIP Service does: it
// balances TCP connections, so a client's keep-alive connections stay on one instance), the gateways behind
// another one (the ingress). A rolling restart replaces one instance at a time the way a Deployment with
// maxSurge 1 / maxUnavailable 0 does: the new instance starts and joins, the old one leaves the rotation (its
// endpoint is removed) and is then stopped, draining what it still serves.
import net from "node:net";
import type { AddressInfo } from "node:net";
import { PrismaPg } from "@prisma/adapter-pg";
import { launchSubgraph, startSubgraph, type RunningSubgraph, type SubgraphDefinition, type SubgraphModule } from "@watchflixx/common";
import { PrismaClient } from "@watchflixx/db";
import { createGateway, type GatewayConfig, type RunningGateway } from "@watchflixx/router";
import { composeSupergraph, createClient, isSubgraphModule, testGatewayConfig, type GraphQLClient } from "./index.ts";
import { testSubgraphConfig } from "./subgraph.ts";

// ---------------------------------------------------------------------------------------------------------------
// A connection balancer (L4, round robin)

export interface ConnectionBalancer {
  /** http://127.0.0.1:<port>/graphql */
  url: string;
  /** Sends new connections to `target` ("host:port") too. */
  add(target: string): void;
  /** No new connection goes to `target`; the ones it has stay until either side closes them. */
  remove(target: string): void;
  /** Connections each target has been given. */
  readonly connections: Map<string, number>;
  stop(): Promise<void>;
}

export async function connectionBalancer(targets: string[] = []): Promise<ConnectionBalancer> {
  const active: string[] = [...targets];
  const connections = new Map<string, number>(targets.map((target) => [target, 0]));
  const sockets = new Set<net.Socket>();
  let next = 0;
  const server = net.createServer((client) => {
    sockets.add(client);
    client.once("close", () => sockets.delete(client));
    const target = active[next++ % Math.max(active.length, 1)];
    if (!target) {
      client.destroy();
      return;
    }
    connections.set(target, (connections.get(target) ?? 0) + 1);
    const [host, port] = target.split(":");
    const upstream = net.connect(Number(port), host ?? "127.0.0.1");
    sockets.add(upstream);
    upstream.once("close", () => sockets.delete(upstream));
    // Bytes both ways, ends passed on (a FIN from the instance reaches the client as a FIN), errors as resets.
    client.pipe(upstream);
    upstream.pipe(client);
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
    upstream.once("close", () => client.destroy());
    client.once("close", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    connections,
    add(target) {
      if (!active.includes(target)) active.push(target);
      if (!connections.has(target)) connections.set(target, 0);
    },
    remove(target) {
      const index = active.indexOf(target);
      if (index >= 0) active.splice(index, 1);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const hostPort = (url: string) => new URL(url).host;

// ---------------------------------------------------------------------------------------------------------------
// Instances

/** One instance (a pod): what it served, while it ran. */
export interface Instance {
  /** "content-1", "content-3" (a replacement), "gateway-2". */
  id: string;
  service: string;
  url: string;
  /** HTTP requests to /graphql it answered (queries, mutations, `_entities`, subscription authorizations). */
  requests: number;
  /** Events its consumer claimed for its service (the `processed_by` claim statements its database client sent). */
  eventsClaimed: number;
  /** False once it has been stopped. */
  running: boolean;
  stop(): Promise<void>;
}

export interface ReplicasOptions {
  /** The database every instance connects to (each with a pool of its own, as separate processes would). */
  databaseUrl: string;
  /** Merged over testGatewayConfig(); every instance gets the same values. */
  config?: Partial<GatewayConfig>;
  /**
   * Each subgraph's module (`contentSubgraph`: every instance builds its own deps and services, as a process does),
   * or a function giving a fresh definition per instance (subgraphs not yet converted).
   */
  subgraphs: Record<string, SubgraphModule<any, any> | (() => Promise<SubgraphDefinition<any>>)>;
  /** Instances per subgraph (default 2). */
  replicas?: number;
  /** Gateway instances (default 2). */
  gateways?: number;
  /** How long a replaced instance stays out of rotation before it is stopped (Kubernetes' preStop sleep). Default 250 ms. */
  preStopMs?: number;
  /** Connections in each instance's database pool (default 4: 7 subgraphs x 2 instances stay well under max_connections). */
  poolSize?: number;
}

export interface RunningReplicas {
  /** The ingress: http://127.0.0.1:<port>/graphql, balancing connections over the gateways. */
  url: string;
  client: GraphQLClient;
  config: GatewayConfig;
  /** Every instance ever started, in order (stopped ones keep their figures). */
  instances: Instance[];
  /** The running instances of a service ("gateway" or a subgraph). */
  running(service: string): Instance[];
  /** Replaces each running instance of `service` in turn: start a new one, take the old one out of rotation, stop it. */
  rollingRestart(service: string): Promise<void>;
  stop(): Promise<void>;
}

/** SQL the event consumer sends to claim an event for its service (packages/common/src/events/consumer.ts). */
const CLAIM = /UPDATE\s+service_events\s+SET\s+processed_by\s*=\s*array_append/i;

export async function startReplicas(options: ReplicasOptions): Promise<RunningReplicas> {
  const config = testGatewayConfig(options.config);
  const replicas = options.replicas ?? 2;
  const gatewayCount = options.gateways ?? 2;
  const instances: Instance[] = [];
  const serial = new Map<string, number>();
  const nextId = (service: string) => {
    const n = (serial.get(service) ?? 0) + 1;
    serial.set(service, n);
    return `${service}-${n}`;
  };

  const balancers = new Map<string, ConnectionBalancer>();
  const sdls = new Map<string, string>();

  async function startSubgraphInstance(service: string): Promise<Instance> {
    const source = options.subgraphs[service];
    if (!source) throw new Error(`startReplicas: no subgraph "${service}"`);
    const db = new PrismaClient({
      adapter: new PrismaPg({ connectionString: options.databaseUrl, max: options.poolSize ?? 4 }),
      log: [{ emit: "event", level: "query" }],
    });
    const instance: Instance = { id: nextId(service), service, url: "", requests: 0, eventsClaimed: 0, running: true, stop: async () => undefined };
    db.$on("query", (event) => {
      if (CLAIM.test(event.query)) instance.eventsClaimed += 1;
    });
    let running: RunningSubgraph;
    try {
      const serve = { port: 0, host: "127.0.0.1" };
      if (isSubgraphModule(source)) {
        const launched = await launchSubgraph(source, { ...serve, config: testSubgraphConfig(source, config), given: { db } });
        sdls.set(service, launched.definition.sdl);
        running = launched;
      } else {
        const definition = await source();
        sdls.set(service, definition.sdl);
        running = await startSubgraph(definition, { ...serve, db, config });
      }
    } catch (error) {
      await db.$disconnect();
      throw error;
    }
    countRequests(running.httpServer, instance);
    instance.url = running.url;
    instance.stop = async () => {
      instance.running = false;
      await running.stop();
      await db.$disconnect();
    };
    instances.push(instance);
    return instance;
  }

  let supergraphSdl = "";
  async function startGatewayInstance(): Promise<Instance> {
    const instance: Instance = { id: nextId("gateway"), service: "gateway", url: "", requests: 0, eventsClaimed: 0, running: true, stop: async () => undefined };
    const gateway: RunningGateway = await createGateway({ config, supergraph: { sdl: supergraphSdl }, port: 0, host: "127.0.0.1" });
    countRequests(gateway.httpServer, instance);
    instance.url = gateway.url;
    instance.stop = async () => {
      instance.running = false;
      await gateway.stop();
    };
    instances.push(instance);
    return instance;
  }

  const stopAll = async () => {
    // Gateways first (they hold upstream subscriptions to the subgraphs), then subgraphs, then the balancers.
    await Promise.all(instances.filter((i) => i.running && i.service === "gateway").map((i) => i.stop()));
    await Promise.all(instances.filter((i) => i.running).map((i) => i.stop()));
    await Promise.all([...balancers.values()].map((balancer) => balancer.stop()));
  };

  try {
    for (const service of Object.keys(options.subgraphs)) {
      const started = await Promise.all(Array.from({ length: replicas }, () => startSubgraphInstance(service)));
      balancers.set(service, await connectionBalancer(started.map((instance) => hostPort(instance.url))));
    }
    supergraphSdl = composeSupergraph(
      Object.keys(options.subgraphs).map((name) => ({ name, url: balancers.get(name)?.url ?? "", sdl: sdls.get(name) ?? "" })),
    );
    const gateways = await Promise.all(Array.from({ length: gatewayCount }, () => startGatewayInstance()));
    balancers.set("gateway", await connectionBalancer(gateways.map((instance) => hostPort(instance.url))));
  } catch (error) {
    await stopAll();
    throw error;
  }

  const ingress = balancers.get("gateway");
  if (!ingress) throw new Error("startReplicas: no gateway balancer");
  const running = (service: string) => instances.filter((instance) => instance.service === service && instance.running);

  return {
    url: ingress.url,
    client: createClient(ingress.url),
    config,
    instances,
    running,
    async rollingRestart(service) {
      const balancer = balancers.get(service);
      if (!balancer) throw new Error(`rollingRestart: no service "${service}"`);
      for (const old of running(service)) {
        const replacement = service === "gateway" ? await startGatewayInstance() : await startSubgraphInstance(service);
        balancer.add(hostPort(replacement.url));
        // The endpoint goes first, then SIGTERM (Kubernetes' preStop sleep gives the same order).
        balancer.remove(hostPort(old.url));
        await new Promise((resolve) => setTimeout(resolve, options.preStopMs ?? 250));
        await old.stop();
      }
    },
    stop: stopAll,
  };
}

function countRequests(httpServer: import("node:http").Server, instance: Instance): void {
  // Before express, which rewrites req.url while it routes.
  httpServer.prependListener("request", (req) => {
    if (req.url?.startsWith("/graphql")) instance.requests += 1;
  });
}
