// The whole of a subgraph's `main.ts`: read config, build the deps, create and serve the subgraph, and shut down
// cleanly on a signal. Start-up problems (bad configuration, database unreachable) print one line and exit 1.
import { loadConfigOrExit, loadDotEnv, type SubgraphConfig } from "./config.ts";
import { StartupError } from "./database.ts";
import { createLogger } from "./logger.ts";
import { launchSubgraph, subgraphModuleWithoutDeps, type SubgraphDefinition, type SubgraphModule } from "./server.ts";
import type { ServiceName } from "./services.ts";
import { loggedStop, stopOnSignals } from "./signals.ts";

/** `runSubgraph(contentSubgraph)`: the subgraph's own config schema, its deps built once, handed to its `create`. */
export async function runSubgraph<C extends SubgraphConfig, L>(module: SubgraphModule<C, L>): Promise<void>;
/** A subgraph not yet converted: the base config, and a `create` that takes no deps. */
export async function runSubgraph<L>(name: ServiceName, create: () => Promise<SubgraphDefinition<L>>): Promise<void>;
export async function runSubgraph<C extends SubgraphConfig, L>(
  moduleOrName: SubgraphModule<C, L> | ServiceName,
  create?: () => Promise<SubgraphDefinition<L>>,
): Promise<void> {
  const module =
    typeof moduleOrName === "string"
      ? subgraphModuleWithoutDeps(moduleOrName, create as () => Promise<SubgraphDefinition<L>>)
      : (moduleOrName as SubgraphModule<SubgraphConfig, L>);
  loadDotEnv();
  const config = loadConfigOrExit(module.configSchema);
  const logger = createLogger(module.name, config.LOG_LEVEL);
  try {
    const running = await launchSubgraph(module, { config, given: { logger }, port: config.port, host: config.host, heartbeat: true, eventRelay: true });
    stopOnSignals(() => running.stop(), loggedStop(logger));
  } catch (error) {
    if (error instanceof StartupError) {
      console.error(`[${module.name}] ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
