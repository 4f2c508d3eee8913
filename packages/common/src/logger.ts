// One-line logs with the service name, so that the logs of seven processes can be read side by side.
export type LogLevel = "debug" | "info" | "warn" | "error";
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, detail?: unknown): void;
  info(message: string, detail?: unknown): void;
  warn(message: string, detail?: unknown): void;
  error(message: string, detail?: unknown): void;
}

export function createLogger(service: string, level: LogLevel = "info"): Logger {
  const write = (at: LogLevel, message: string, detail?: unknown) => {
    if (ORDER[at] < ORDER[level]) return;
    const suffix =
      detail === undefined ? "" : detail instanceof Error ? ` ${detail.stack ?? detail.message}` : ` ${JSON.stringify(detail)}`;
    const line = `${new Date().toISOString()} ${at.toUpperCase().padEnd(5)} [${service}] ${message}${suffix}`;
    (at === "error" || at === "warn" ? console.error : console.log)(line);
  };
  return {
    debug: (m, d) => write("debug", m, d),
    info: (m, d) => write("info", m, d),
    warn: (m, d) => write("warn", m, d),
    error: (m, d) => write("error", m, d),
  };
}
