// The Prisma half of `pnpm microservices:sync`: regenerate the client from schema.prisma, then say whether
// schema.prisma has changes no migration makes yet (the fix is `pnpm db:migrate --name <name>`).
import { diffMigrationsToSchema, type MigrateOptions } from "@watchflixx/db/migrate";
import { generatePrismaClient } from "@watchflixx/db/migrate/develop";

export interface PrismaSyncOptions extends MigrateOptions {
  print: (text: string) => void;
  /** Default: `prisma generate` on the schema. */
  generate?: (schemaPath: string | undefined) => void;
}

/** False only when the client could not be generated; a missing migration is reported, not fatal. */
export async function syncPrisma(options: PrismaSyncOptions): Promise<boolean> {
  const { print } = options;
  try {
    (options.generate ?? ((schema) => generatePrismaClient(schema)))(options.schemaPath);
  } catch (error) {
    print(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return false;
  }
  print("Prisma client regenerated from prisma/schema.prisma\n");
  try {
    const drift = await diffMigrationsToSchema(options);
    if (drift.changed) {
      print("warning: schema.prisma has changes no migration makes yet: run `pnpm db:migrate --name <name>` (writes the migration, applies it, regenerates the client)\n");
    } else {
      print("schema.prisma and prisma/migrations agree\n");
    }
  } catch (error) {
    print(`warning: could not compare schema.prisma with the migrations (${error instanceof Error ? error.message.split("\n")[0] : String(error)})\n`);
  }
  return true;
}
