// `pnpm db:studio [--port N]`: Prisma Studio on DATABASE_URL. Studio needs no schema engine, so it runs
// offline; it is given the URL directly (Prisma 7's Studio does not take it from prisma.config.ts).
import { spawn } from "node:child_process";
import { readDatabaseUrl } from "../config.ts";

const child = spawn("prisma", ["studio", "--url", readDatabaseUrl(), ...process.argv.slice(2)], { stdio: "inherit" });
child.on("exit", (code) => process.exit(code ?? 0));
