// A process's clean stop on SIGTERM/SIGINT. Ctrl-C in a terminal reaches every process of the group with SIGINT
// while a supervisor (`pnpm start`) also sends SIGTERM: the stop must run once whatever number of signals arrive,
// and a later signal must not end the process half-way (a `once` listener, spent, would let it die).
import type { Logger } from "./logger.ts";

export function stopOnSignals(stop: () => Promise<void>, logger: Logger): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: shutting down`);
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error("stopping failed", error);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
