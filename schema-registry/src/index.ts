// @watchflixx/schema-registry: composition, checks and the registry files, for the CLI and for tests.
export * from "./announcements.ts";
export * from "./changes.ts";
export * from "./check.ts";
export * from "./compose.ts";
export * from "./issues.ts";
export * from "./layout.ts";
export * from "./naming.ts";
export * from "./operations.ts";
export * from "./publish.ts";
export * from "./registry.ts";
export * from "./subgraphs.ts";
export * from "./validate.ts";
