// Subgraph responses are per caller and never cached. Apollo Server's default cache-control plugin works that
// out by installing a `willResolveField` hook on every field of every response, only to answer `no-store`
// here (no type or field carries a @cacheControl hint). This plugin sends the same header without the hooks.
import type { ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";

function noStorePlugin<C extends object>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          response.http.headers.set("cache-control", "no-store");
        },
      };
    },
  };
}

/** The plugins that replace Apollo Server's default cache-control plugin in a subgraph. */
export function uncachedResponsePlugins<C extends object>(): ApolloServerPlugin<C>[] {
  return [ApolloServerPluginCacheControlDisabled(), noStorePlugin<C>()];
}
