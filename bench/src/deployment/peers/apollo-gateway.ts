// A peer gateway for the deployment benchmark: stock @apollo/gateway in Apollo Server's standalone server, its
// defaults (the default make-fetch-happen fetcher, default plugins), serving schema-registry/supergraph.graphql
// over the running subgraph processes. Only what the subgraphs require is added, done the way the router does
// it: the caller's access token verified (router/src/auth.ts) and the identity headers signed over the body
// (router/src/signing.ts). Started by the benchmark: `node --import tsx peers/apollo-gateway.ts`, with the
// deployment's environment plus PEER_PORT.
import { ApolloGateway, RemoteGraphQLDataSource } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import type { Identity } from "@watchflixx/common";
import { authenticate, setCallerClaims, signingFetcher } from "@watchflixx/router";
import { deploymentSupergraph, requiredEnv } from "./supergraph.ts";

interface PeerContext {
  identity: Identity | null;
  clientAddress: string | null;
}

const jwtSecret = requiredEnv("JWT_ACCESS_SECRET");
const sharedSecret = requiredEnv("GATEWAY_SHARED_SECRET");
const port = Number(requiredEnv("PEER_PORT"));

const gateway = new ApolloGateway({
  supergraphSdl: deploymentSupergraph(process.env),
  buildService({ url }) {
    const source = new RemoteGraphQLDataSource<PeerContext>({
      url,
      willSendRequest({ request, context }) {
        setCallerClaims(request.http?.headers, { identity: context.identity ?? null, clientAddress: context.clientAddress ?? null });
      },
    });
    // The default fetcher, signing each request over its final body.
    source.fetcher = signingFetcher(source.fetcher, sharedSecret);
    return source;
  },
});

const server = new ApolloServer<PeerContext>({ gateway });
const { url } = await startStandaloneServer(server, {
  listen: { port, host: "127.0.0.1" },
  context: async ({ req }) => ({ identity: await authenticate(req.headers.authorization, jwtSecret), clientAddress: req.socket.remoteAddress ?? null }),
});
console.log(`stock @apollo/gateway at ${url}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void server.stop().finally(() => process.exit(0)));
