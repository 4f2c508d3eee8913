// The whole of a subgraph's `main.ts`: read config, connect, serve, and shut down cleanly on a signal.
// Start-up problems (bad configuration, database unreachable) print one line and exit 1.
import { loadDotEnv, loadSubgraphConfig } from "./config.ts";
import { connectDatabase, StartupError } from "./database.ts";
import { createLogger } from "./logger.ts";
import { startSubgraph, type SubgraphDefinition } from "./server.ts";
import type { ServiceName } from "./services.ts";
import { loggedStop, stopOnSignals } from "./signals.ts";

export async function runSubgraph<L>(name: ServiceName, create: () => Promise<SubgraphDefinition<L>>): Promise<void> {
  loadDotEnv();
  const config = loadSubgraphConfig(name);
  const logger = createLogger(name, config.LOG_LEVEL);
  try {
    const db = await connectDatabase(config.DATABASE_URL);
    const definition = await create();
    const running = await startSubgraph(definition, { db, config, port: config.port, host: config.host, logger, heartbeat: true, eventRelay: true });
    stopOnSignals(async () => {
      await running.stop();
      await db.$disconnect();
    }, loggedStop(logger));
  } catch (error) {
    if (error instanceof StartupError) {
      console.error(`[${name}] ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
