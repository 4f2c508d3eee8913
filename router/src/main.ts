// Starts the gateway: read the configuration, load the supergraph, serve; stop cleanly on a signal.
// Start-up problems (bad configuration, no supergraph, port in use) print one line and exit 1.
import { createLogger, StartupError } from "@watchflixx/common";
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
  const shutdown = async (signal: string) => {
    logger.info(`${signal}: shutting down`);
    await running.stop();
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
  // `kill -HUP` reloads the supergraph file at once (it is also watched).
  process.on("SIGHUP", () => void running.reloadSupergraph());
} catch (error) {
  if (error instanceof StartupError) {
    console.error(`[gateway] ${error.message}`);
    process.exit(1);
  }
  throw error;
}
