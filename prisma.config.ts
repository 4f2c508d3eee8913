// Prisma CLI configuration (generate, validate, studio). Migrations do not go through the stock CLI here:
// see packages/db/src/migrate, which drives Prisma's schema engine (WebAssembly build) through adapter-pg.
import { defineConfig } from "prisma/config";
import { DEFAULT_DATABASE_URL } from "./packages/db/src/config.ts";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx packages/db/src/seed/cli.ts" },
  datasource: { url: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL },
});
