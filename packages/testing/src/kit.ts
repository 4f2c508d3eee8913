// Small helpers every integration test needs: error codes of a GraphQL result, and signing in through the gateway.
import type { GraphQLFormattedError } from "graphql";
import { contractOperation } from "./contract.ts";
import type { GraphQLClient } from "./index.ts";

/** Any GraphQL response body (the harnesses' results, or a test's own view of one). */
export interface WithErrors {
  errors?: readonly Pick<GraphQLFormattedError, "extensions">[] | null;
}

/** The first error's `extensions.code` (undefined when the result has no error). */
export function codeOf(result: WithErrors): string | undefined {
  return result.errors?.[0]?.extensions?.code as string | undefined;
}

/** Every error's `extensions.code`, in order. */
export function codesOf(result: WithErrors): (string | undefined)[] {
  return (result.errors ?? []).map((error) => error.extensions?.code as string | undefined);
}

/** The seed's password of every demo account (alice@, bob@, staff@watchflixx.dev). */
export const DEMO_PASSWORD = "watchflixx-demo";

/**
 * Signs in through the gateway with the web client's own SignIn operation (needs the auth subgraph in the
 * supergraph) and returns the access token; throws with the errors when sign-in fails.
 */
export async function signIn(client: Pick<GraphQLClient, "request">, email: string, password = DEMO_PASSWORD): Promise<string> {
  const result = await client.request<{ signIn: { accessToken: string } }>(contractOperation("web/auth.graphql", "SignIn"), { input: { email, password } });
  const token = result.data?.signIn.accessToken;
  if (!token) throw new Error(`signIn ${email} failed: ${JSON.stringify(result.errors)}`);
  return token;
}
