// Small helpers every integration test needs: error codes of a GraphQL result, and signing in through the gateway.
import type { GraphQLFormattedError } from "graphql";
import { closeEventRedis, connectEventRedis, createLogger, startEventRelay, type ServiceName } from "@watchflixx/common";
import type { PrismaClient } from "@watchflixx/db";
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

export interface SignedUpViewer {
  token: string;
  profileId: string;
  /** With `kidsProfile`. */
  kidsProfileId?: string;
}

/**
 * A new account through the gateway with the web client's own operations (SignUp, CreateProfile; Plans and
 * Subscribe to the first plan with `subscribe`): its token and profile. Throws with the errors of a step that fails.
 */
export async function signUpViewer(client: Pick<GraphQLClient, "request">, name: string, options: { kidsProfile?: boolean; subscribe?: boolean } = {}): Promise<SignedUpViewer> {
  const step = async (file: string, operation: string, variables: Record<string, unknown> = {}, token?: string) => {
    const result = await client.request(contractOperation(file, operation), variables, token ? { token } : {});
    if (result.errors?.length || !result.data) throw new Error(`${operation} for ${name} failed: ${JSON.stringify(result.errors)}`);
    return result.data;
  };
  const email = `${name}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.test`;
  const { signUp } = await step("web/auth.graphql", "SignUp", { input: { email, password: "a long enough passphrase 42", name } });
  const token: string = signUp.accessToken;
  const profile = await step("web/auth.graphql", "CreateProfile", { input: { name } }, token);
  const viewer: SignedUpViewer = { token, profileId: profile.createProfile.id };
  if (options.kidsProfile) viewer.kidsProfileId = (await step("web/auth.graphql", "CreateProfile", { input: { name: `${name} junior`, isKids: true } }, token)).createProfile.id;
  if (options.subscribe) {
    const { plans } = await step("web/billing.graphql", "Plans");
    await step("web/billing.graphql", "Subscribe", { input: { planId: plans[0].id } }, token);
  }
  return viewer;
}

/**
 * What `runSubgraph` does in a service's process, for a test that runs subgraphs without it: relays the
 * service's committed ServiceEvents to the Redis streams at `redisUrl` (every 200 ms). Stop it before the database.
 */
export function relayEventsOf(service: ServiceName, options: { db: PrismaClient; redisUrl: string }): { stop(): Promise<void> } {
  const logger = createLogger(`${service}-relay`, "error");
  const redis = connectEventRedis(options.redisUrl, { name: `${service}-relay`, logger });
  const relay = startEventRelay({ db: options.db, redis, service, logger, pollIntervalMs: 200 });
  return {
    async stop() {
      await relay.stop();
      await closeEventRedis(redis);
    },
  };
}
