// A peer gateway for the deployment benchmark: Hive Gateway (@graphql-hive/gateway's runtime, its defaults) on
// Node's HTTP server, serving the registry's supergraph over the running subgraph processes. One plugin adds
// what the subgraphs require, the way the router does it: the caller's access token verified once per request
// (router/src/auth.ts) and the identity headers signed over each subgraph request's final body
// (router/src/signing.ts). Started by the benchmark with the deployment's environment plus PEER_PORT.
import http from "node:http";
import { IDENTITY_HEADERS, signIdentityHeaders, type Identity } from "@watchflixx/common";
import { authenticate } from "@watchflixx/router";
import { deploymentSupergraph, requiredEnv } from "./supergraph.ts";

const jwtSecret = requiredEnv("JWT_ACCESS_SECRET");
const sharedSecret = requiredEnv("GATEWAY_SHARED_SECRET");
const port = Number(requiredEnv("PEER_PORT"));

// Hive Gateway's types augment graphql's GraphQLErrorExtensions in a way that conflicts with Apollo Server's
// (the router's sources are type-checked in this package too): load it untyped, through the few members used.
interface FetchHookPayload {
  context?: { request?: Request; req?: http.IncomingMessage };
  options: { body?: unknown; headers?: Record<string, string> };
  setOptions(options: { body?: unknown; headers?: Record<string, string> }): void;
}
interface HiveGatewayModule {
  createGatewayRuntime(config: {
    supergraph: string;
    plugins: () => { onFetch(payload: FetchHookPayload): Promise<void> }[];
    transportEntries?: Record<string, { options: Record<string, unknown> }>;
  }): http.RequestListener & {
    dispose(): Promise<void> | void;
  };
}
const HIVE_GATEWAY = "@graphql-hive/gateway";
const { createGatewayRuntime } = (await import(HIVE_GATEWAY)) as HiveGatewayModule;

/** The caller of each client request, verified once however many subgraph requests it makes. */
const callers = new WeakMap<Request, Promise<Identity | null>>();

function signedIdentity() {
  return {
    async onFetch({ context, options, setOptions }: FetchHookPayload) {
      if (!context?.request) return;
      let caller = callers.get(context.request);
      if (!caller) {
        caller = authenticate(context.request.headers.get("authorization"), jwtSecret);
        callers.set(context.request, caller);
      }
      const identity = await caller;
      const body = typeof options.body === "string" ? options.body : "";
      const headers = new Headers(options.headers);
      for (const name of Object.values(IDENTITY_HEADERS)) headers.delete(name);
      for (const [name, value] of Object.entries(signIdentityHeaders(identity, sharedSecret, { body, clientAddress: context.req?.socket.remoteAddress ?? null }))) {
        headers.set(name, value);
      }
      setOptions({ ...options, headers: Object.fromEntries(headers) });
    },
  };
}

// Hive's HTTP executor de-duplicates identical in-flight subgraph queries by default, keyed by URL, body and the
// headers it built, before onFetch adds the caller's: HIVE_NO_DEDUP=1 turns that off for a second measurement.
const noDedup = process.env.HIVE_NO_DEDUP === "1";
const gateway = createGatewayRuntime({
  supergraph: deploymentSupergraph(process.env),
  plugins: () => [signedIdentity()],
  ...(noDedup ? { transportEntries: { "*.http": { options: { deduplicateInflightRequests: false } } } } : {}),
});
const server = http.createServer(gateway);
server.listen(port, "127.0.0.1", () => console.log(`Hive Gateway at http://127.0.0.1:${port}/graphql`));
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    server.close();
    void Promise.resolve(gateway.dispose()).finally(() => process.exit(0));
  });
}
