// One lint for the whole workspace: ESLint's and typescript-eslint's recommended rules.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/generated/**", "**/dist/**", "clients/src/gql/**", ".logs/**", ".run/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: "readonly", process: "readonly", Buffer: "readonly", URL: "readonly", fetch: "readonly", AbortSignal: "readonly", setTimeout: "readonly", clearTimeout: "readonly", setInterval: "readonly", clearInterval: "readonly", crypto: "readonly", TextEncoder: "readonly", Response: "readonly", Request: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" }],
      // type-graphql resolvers receive `any`-typed federation references; keep it visible, not fatal.
      "@typescript-eslint/no-explicit-any": "warn",
    },
  },
  {
    // Configuration is read in one place per process: the config modules parse the environment at start-up and
    // everything else receives the parsed values. (Scripts, benchmarks and tests drive processes: not here.)
    files: ["subgraphs/*/src/**/*.ts", "router/src/**/*.ts", "packages/*/src/**/*.ts"],
    ignores: ["packages/*/src/config.ts", "router/src/config.ts", "subgraphs/*/src/env.ts", "subgraphs/*/src/config.ts"],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration in the config module (config.ts / env.ts) and pass it in." }],
    },
  },
);
