// The registry's supergraph with each subgraph's URL moved to the port the deployment benchmark gave it
// (<SERVICE>_PORT): the peer gateways read their subgraph locations from the SDL, as in production.
import { readFileSync } from "node:fs";
import path from "node:path";
import { repositoryRoot, SERVICE_NAMES } from "@watchflixx/common";

export function deploymentSupergraph(env: NodeJS.ProcessEnv): string {
  let sdl = readFileSync(path.join(repositoryRoot, "schema-registry/supergraph.graphql"), "utf8");
  for (const name of SERVICE_NAMES) {
    const port = env[`${name.toUpperCase()}_PORT`];
    if (!port) throw new Error(`${name.toUpperCase()}_PORT is required`);
    sdl = sdl.replace(new RegExp(`(@join__graph\\(name: "${name}", url: ")[^"]*(")`), `$1http://127.0.0.1:${port}/graphql$2`);
  }
  return sdl;
}

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}
