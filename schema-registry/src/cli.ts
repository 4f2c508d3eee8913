// Entry point of the registry's commands; see commands.ts.
//   tsx schema-registry/src/cli.ts publish|check|sync|validate [options]
import { main } from "./commands.ts";

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
