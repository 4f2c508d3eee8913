// A process's clean stop on SIGTERM/SIGINT. Ctrl-C in a terminal reaches every process of the group with SIGINT
// while a supervisor (`pnpm start`) or tsx also sends or relays a signal: the stop must run once whatever number
// of signals arrive, and a later signal must not end the process half-way (a `once` listener, spent, would let
// it die, e.g. before the embedded database has closed its files).
import type { Logger } from "./logger.ts";

export interface StopReport {
  stopping(signal: NodeJS.Signals): void;
  stopped?(): void;
  failed(error: unknown): void;
}

/** What a service says: `SIGTERM: shutting down` in its log, and why a stop failed. */
export function loggedStop(logger: Pick<Logger, "info" | "error">): StopReport {
  return {
    stopping: (signal) => logger.info(`${signal}: shutting down`),
    failed: (error) => logger.error("stopping failed", error),
  };
}

/** Runs `stop` once on the first SIGTERM or SIGINT, then exits 0 (1 if the stop failed). */
export function stopOnSignals(stop: () => Promise<void>, report: StopReport): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    report.stopping(signal);
    stop().then(
      () => {
        report.stopped?.();
        process.exit(0);
      },
      (error: unknown) => {
        report.failed(error);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
