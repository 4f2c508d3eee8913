// The two Apollo pieces: @apollo/gateway (the query planner and the subgraph data sources, each request signed
// with the caller's claims) and Apollo Server in front of it (plugins, error policy, persisted queries).
import type http from "node:http";
import { ApolloGateway } from "@apollo/gateway";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginLandingPageLocalDefault } from "@apollo/server/plugin/landingPage/default";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { gracefulDrainPlugin, maskInternalErrors, requestGuardPlugin, type Logger, type RequestGuardOptions, type ServiceName } from "@watchflixx/common";
import type { GatewayContext } from "../auth.ts";
import type { GatewayConfig } from "../config.ts";
import { setCallerClaims } from "../signing.ts";
import type { SupergraphLoader } from "../supergraph.ts";
import type { GatewayDependencies } from "./dependencies.ts";

/** Apollo's logger interface on ours; Apollo's `info` chatter goes to debug. */
function apolloLogger(logger: Logger) {
  return {
    debug: (message?: unknown) => logger.debug(String(message)),
    info: (message?: unknown) => logger.debug(String(message)),
    warn: (message?: unknown) => logger.warn(String(message)),
    error: (message?: unknown) => logger.error(String(message)),
  };
}

export function federatedGateway(config: GatewayConfig, logger: Logger, loader: SupergraphLoader, dependencies: GatewayDependencies): ApolloGateway {
  return new ApolloGateway({
    supergraphSdl: loader,
    logger: apolloLogger(logger),
    buildService: ({ name, url }) =>
      dependencies.entityCache.dataSourceFor(name, {
        // An explicit <SERVICE>_URL wins over the URL the supergraph records (static mode behind a proxy, ...).
        url: config.subgraphUrlOverrides[name as ServiceName] ?? url,
        fetcher: dependencies.fetcherFor(name),
        willSendRequest({ request, context }) {
          const headers = request.http?.headers;
          if (!headers) return;
          if (context.requestId) headers.set("x-request-id", context.requestId);
          setCallerClaims(headers, { identity: context.identity ?? null, clientAddress: context.clientAddress ?? null });
        },
      }),
  });
}

/**
 * Error policy: errors with a contract code (NOT_FOUND, BAD_USER_INPUT, UNAUTHENTICATED, ...) reach the client
 * with their message and code, whichever subgraph raised them; everything else (a subgraph that is down, a
 * subgraph error without a code, a bug in the gateway) becomes `Internal server error` / INTERNAL_SERVER_ERROR
 * and is logged here. Subgraph names, URLs, response bodies and stack traces never leave the gateway.
 */
export function gatewayErrorFormatter(logger: Logger) {
  const mask = maskInternalErrors((message, error) => {
    const serviceName = error instanceof GraphQLError ? error.extensions.serviceName : undefined;
    if (typeof serviceName === "string" && error instanceof GraphQLError) {
      // The subgraph has logged its own internal error (with its stack); one line here is enough.
      const at = error.path ? ` at ${error.path.join(".")}` : "";
      logger.error(`${message} from the ${serviceName} subgraph${at}: ${error.message} (${String(error.extensions.code ?? "no code")})`);
    } else {
      logger.error(message, error);
    }
  });
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const result = mask(formatted, error);
    if (!result.extensions) return result;
    const { serviceName: _serviceName, response: _response, exception: _exception, stacktrace: _stacktrace, ...extensions } =
      result.extensions;
    return { ...result, extensions };
  };
}

export interface ApolloServerSettings {
  config: GatewayConfig;
  logger: Logger;
  gateway: ApolloGateway;
  httpServer: http.Server;
  guard: RequestGuardOptions;
  dependencies: GatewayDependencies;
}

export function gatewayApolloServer({ config, logger, gateway, httpServer, guard, dependencies }: ApolloServerSettings): ApolloServer<GatewayContext> {
  const development = config.NODE_ENV !== "production";
  const plugins: ApolloServerPlugin<GatewayContext>[] = [
    // Drains without closing a keep-alive connection under a client's request (packages/common/src/drain.ts).
    gracefulDrainPlugin(httpServer),
    development ? ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }) : ApolloServerPluginLandingPageDisabled(),
    // Text inputs checked before anything runs (the operation limits are the middleware's, before Apollo Server).
    requestGuardPlugin(guard),
    dependencies.entityCache.plugin(),
  ];
  return new ApolloServer<GatewayContext>({
    gateway,
    nodeEnv: config.NODE_ENV,
    // Whoever runs the gateway (main.ts, embedded mode) owns SIGTERM/SIGINT and calls stop(). Apollo's own
    // handler would run a second apollo.stop() beside it: Apollo 5 never resolves the barrier the second call
    // waits on (only when stopping fails), so our stop() hangs, and Apollo then re-raises the signal, killing
    // the process before the rest (subgraphs, the database, embedded PGlite) has been stopped.
    stopOnTerminationSignals: false,
    introspection: config.INTROSPECTION,
    csrfPrevention: true,
    // Automatic persisted queries answered from the trusted documents (read-only when enforcing).
    persistedQueries: { cache: dependencies.trustedDocuments.persistedQueryCache(), ttl: null },
    formatError: gatewayErrorFormatter(logger),
    includeStacktraceInErrorResponses: false,
    // Production: no "Did you mean ...?" suggestions that reveal field names when introspection is off.
    hideSchemaDetailsFromClientErrors: !development,
    maxRecursiveSelections: true,
    logger: apolloLogger(logger),
    plugins,
  });
}
