// Starts the gateway: read the configuration, load the supergraph, serve; stop cleanly on a signal.
// Start-up problems (bad configuration, no supergraph, port in use) print one line and exit 1.
import { createLogger, loggedStop, StartupError, stopOnSignals } from "@watchflixx/common";
import { loadGatewayConfig } from "./config.ts";
import { createGateway } from "./gateway.ts";

const config = loadGatewayConfig();
const logger = createLogger("gateway", config.LOG_LEVEL);
try {
  const running = await createGateway({ config, logger });
  logger.info(
    `serving ${config.SUPERGRAPH_MODE === "static" ? config.SUPERGRAPH_PATH : "the composed running subgraphs"}` +
      ` (introspection ${config.INTROSPECTION ? "on" : "off"})`,
  );
  stopOnSignals(() => running.stop(), loggedStop(logger));
  // `kill -HUP` reloads the supergraph file at once (it is also watched).
  process.on("SIGHUP", () => void running.reloadSupergraph());
} catch (error) {
  if (error instanceof StartupError) {
    console.error(`[gateway] ${error.message}`);
    process.exit(1);
  }
  throw error;
}
