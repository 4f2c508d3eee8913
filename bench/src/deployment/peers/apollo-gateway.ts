// A peer gateway for the deployment benchmark: stock @apollo/gateway in Apollo Server's standalone server, its
// defaults (the default make-fetch-happen fetcher, default plugins), serving schema-registry/supergraph.graphql
// over the running subgraph processes. Only what the subgraphs require is added, done the way the router does
// it: the caller's access token verified (router/src/auth.ts) and the identity headers signed over the body
// (router/src/signing.ts). Started by the benchmark: `node --import tsx peers/apollo-gateway.ts`, with the
// deployment's environment plus PEER_PORT.
import { readFileSync } from "node:fs";
import path from "node:path";
import { ApolloGateway, RemoteGraphQLDataSource } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { repositoryRoot, SERVICE_NAMES, type Identity } from "@watchflixx/common";
import { authenticate, setCallerClaims, signingFetcher } from "@watchflixx/router";

interface PeerContext {
  identity: Identity | null;
  clientAddress: string | null;
}

const env = process.env;
const required = (name: string): string => {
  const value = env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const jwtSecret = required("JWT_ACCESS_SECRET");
const sharedSecret = required("GATEWAY_SHARED_SECRET");
const port = Number(required("PEER_PORT"));
// The supergraph records the default ports: the deployment's come from <SERVICE>_PORT.
const urls = new Map(SERVICE_NAMES.map((name) => [name, `http://127.0.0.1:${required(`${name.toUpperCase()}_PORT`)}/graphql`]));

const gateway = new ApolloGateway({
  supergraphSdl: readFileSync(path.join(repositoryRoot, "schema-registry/supergraph.graphql"), "utf8"),
  buildService({ name, url }) {
    const source = new RemoteGraphQLDataSource<PeerContext>({
      url: urls.get(name as (typeof SERVICE_NAMES)[number]) ?? url,
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
