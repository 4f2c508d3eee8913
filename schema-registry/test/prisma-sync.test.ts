// `pnpm microservices:sync`'s Prisma half on a scratch copy of prisma/: it regenerates the client and says
// when schema.prisma has changes no migration makes yet.
import { readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scratchPrismaProject, type ScratchPrismaProject } from "@watchflixx/db/testing";
import { syncPrisma } from "../src/prisma-sync.ts";

describe("microservices:sync and schema.prisma", () => {
  let project: ScratchPrismaProject;
  let scratch: string;
  let schemaPath: string;
  let migrationsDir: string;
  let database: { url: string };

  beforeAll(async () => {
    project = await scratchPrismaProject("wf-prisma-sync-");
    ({ folder: scratch, schemaPath, migrationsDir } = project);
    database = { url: project.databaseUrl };
  });
  afterAll(() => project.dispose());

  it("says the migrations agree, then that a migration is missing once a model is added, regenerating the client each time", async () => {
    let output = "";
    const print = (text: string) => (output += text);
    expect(await syncPrisma({ databaseUrl: database.url, schemaPath, migrationsDir, print })).toBe(true);
    expect(output).toContain("schema.prisma and prisma/migrations agree");
    expect(output).not.toContain("warning");

    await writeFile(schemaPath, `${await readFile(schemaPath, "utf8")}\nmodel Badge {\n  id String @id @db.Uuid\n\n  @@map("badges")\n}\n`);
    output = "";
    expect(await syncPrisma({ databaseUrl: database.url, schemaPath, migrationsDir, print })).toBe(true);
    expect(output).toContain("warning: schema.prisma has changes no migration makes yet: run `pnpm db:migrate --name <name>`");
    // The generator writes next to the schema it was given: the scratch copy's client knows the new model.
    expect(existsSync(path.join(scratch, "packages/db/src/generated/prisma/models/Badge.ts"))).toBe(true);
  });
});
