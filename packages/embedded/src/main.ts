// `pnpm start --embedded` (or WATCHFLIXX_EMBEDDED=1 pnpm start), and what `pnpm start` falls back to on a machine
// without PostgreSQL or Redis (scripts/microservices.ts): the whole supergraph in this process (index.ts).
// Ctrl-C stops it all. Run directly (`pnpm --filter @watchflixx/embedded start`), it embeds everything.
import { ConfigurationError, loadDotEnv, StartupError, stopOnSignals } from "@watchflixx/common";
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
    // One stop, whatever number of signals arrive (Ctrl-C reaches pnpm, tsx and this process; tsx relays it too).
    stopOnSignals(() => running.stop(), {
      stopping: (signal) => console.log(`embedded: ${signal}, stopping`),
      stopped: () => console.log("embedded: stopped"),
      failed: (error) => console.error("embedded: stopping failed", error),
    });
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
