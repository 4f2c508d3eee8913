// GraphQL Code Generator: typed documents and result types for the client operations, from the registry's
// API schema (the supergraph as clients see it). Run with `pnpm codegen` (clients/scripts/codegen.ts drives
// @graphql-codegen/cli with this file); `pnpm codegen:check` fails when clients/src/gql is stale.
// Paths are relative to the repository root. `../shared/operations` is the client contract, which sits beside
// the repository (in CI too); `clients/operations` holds the project's own test operations.
// The same run writes MANIFEST, the trusted documents the gateway serves by hash (and, enforced, only those).

/** The part of @graphql-codegen/cli's `CodegenConfig` used here (the root package does not depend on the CLI). */
export interface ClientCodegenConfig {
  overwrite: boolean;
  schema: string;
  documents: string[];
  ignoreNoDocuments: boolean;
  generates: Record<string, { preset: "client"; presetConfig: Record<string, unknown>; config: Record<string, unknown> }>;
}

export const API_SCHEMA = "schema-registry/api-schema.graphql";
export const SHARED_OPERATIONS = "../shared/operations/**/*.graphql";
export const PROJECT_OPERATIONS = "clients/operations/**/*.graphql";
export const OUTPUT_DIR = "clients/src/gql/";
/** The trusted documents (Apollo's persisted query manifest), written beside the typed documents. */
export const MANIFEST = "clients/persisted-query-manifest.json";

const config: ClientCodegenConfig = {
  overwrite: true,
  schema: API_SCHEMA,
  documents: [SHARED_OPERATIONS, PROJECT_OPERATIONS],
  ignoreNoDocuments: false,
  generates: {
    [OUTPUT_DIR]: {
      preset: "client",
      // Plain result types: no fragment masking, so a test reads `data.me.profiles[0].name` directly.
      presetConfig: { fragmentMasking: false },
      config: {
        // Local imports end in `.ts`, as everywhere in the repository (NodeNext + allowImportingTsExtensions).
        importExtension: ".ts",
        useTypeImports: true,
        // String unions instead of TypeScript enums: values compare with the strings the server sends.
        enumsAsTypes: true,
        // graphql-scalars' DateTime travels as an ISO 8601 string.
        scalars: { DateTime: "string" },
        strictScalars: true,
        dedupeFragments: true,
      },
    },
  },
};

export default config;
