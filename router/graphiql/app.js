// The browser side of the gateway's offline GraphiQL (router/src/graphiql): bundled by esbuild from npm
// packages, served by the gateway itself. Queries and mutations over HTTP, subscriptions over graphql-ws on
// the same path (what the web and TV clients use).
/* global document, window */
import { createElement } from "react";
import { createRoot } from "react-dom/client";
import { GraphiQL } from "graphiql";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { createClient } from "graphql-ws";
import "graphiql/style.css";

const endpoint = new URL(document.documentElement.dataset.endpoint ?? "/graphql", window.location.href);
const socket = new URL(endpoint);
socket.protocol = endpoint.protocol === "https:" ? "wss:" : "ws:";

const fetcher = createGraphiQLFetcher({
  url: endpoint.href,
  wsClient: createClient({ url: socket.href, lazy: true }),
});

createRoot(document.getElementById("graphiql")).render(createElement(GraphiQL, { fetcher, defaultEditorToolsVisibility: true }));
