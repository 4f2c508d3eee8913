// `pnpm start --embedded` (or WATCHFLIXX_EMBEDDED=1 pnpm start), and what `pnpm start` falls back to on a machine
// without PostgreSQL or Redis (scripts/microservices.ts): the whole supergraph in this process (index.ts).
// Ctrl-C stops it all. Run directly (`pnpm --filter @watchflixx/embedded start`), it embeds everything.
import { ConfigurationError, loadDotEnv, StartupError } from "@watchflixx/common";
import { embeddedEnvironment } from "./config.ts";
import { describePlan, embeddedPlanFor, startEmbedded } from "./index.ts";

/** Starts embedded mode if this machine needs it (or `forced`); false when it does not (PostgreSQL and Redis answer). */
export async function runEmbedded(forced: boolean): Promise<boolean> {
  loadDotEnv();
  const started = performance.now();
  try {
    const { plan, dataDir } = await embeddedPlanFor(embeddedEnvironment(), forced);
    if (!plan) return false;
    // The one line that says what runs embedded, and that it is for one machine only.
    console.log(describePlan(plan, dataDir));
    const running = await startEmbedded(plan, { dataDir, onStage: (stage, ms) => console.log(`embedded: ${stage} ready in ${ms} ms`) });
    console.log(`embedded: everything up in ${Math.round(performance.now() - started)} ms; gateway at ${running.gatewayUrl}`);
    // One stop, whatever number of signals arrive: Ctrl-C sends SIGINT to pnpm, tsx and this process at once,
    // and tsx relays it again when this process is too busy to confirm it in time. A signal with no listener
    // left would end the process before PGlite has closed its files, so the listeners stay until the end.
    let stopping = false;
    const shutdown = (signal: string) => {
      if (stopping) return;
      stopping = true;
      console.log(`embedded: ${signal}, stopping`);
      void running.stop().then(() => {
        console.log("embedded: stopped");
        process.exit(0);
      });
    };
    process.on("SIGTERM", () => shutdown("SIGTERM"));
    process.on("SIGINT", () => shutdown("SIGINT"));
    return true;
  } catch (error) {
    if (error instanceof ConfigurationError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(1);
    }
    if (error instanceof StartupError) {
      console.error(`[embedded] ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runEmbedded(true);
