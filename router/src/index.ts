// @watchflixx/router: the gateway, for main.ts, the test harness and the schema registry's tools.
export * from "./auth.ts";
export * from "./config.ts";
export * from "./gateway.ts";
export * from "./client-address.ts";
export * from "./rate-limit.ts";
export * from "./signing.ts";
export * from "./supergraph.ts";
export * from "./trusted-documents.ts";
