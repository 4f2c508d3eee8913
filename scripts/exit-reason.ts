// Why a service that exited during start-up stopped, read from what it wrote to its log in this run: the
// console then shows the reason (`Configuration error: JWT_ACCESS_SECRET must be set in production`), not
// only the log's name.
import { existsSync, readFileSync, statSync } from "node:fs";

/** Most telling first: our configuration and start-up errors, then any error line. */
const REASON_PATTERNS = [/Configuration error: .*/g, /StartupError: .*/g, /^\w*Error: .*/gm, /.*\berror\b.*/gi];

/** Where each log ended when its service was started (logs are appended to across runs). */
const logStarts = new Map<string, number>();

export function markLogStart(logPath: string): void {
  logStarts.set(logPath, existsSync(logPath) ? statSync(logPath).size : 0);
}

/** `: <reason>` from this run's part of the log (empty when it holds nothing recognisable). */
export function exitReason(logPath: string): string {
  if (!existsSync(logPath)) return "";
  const written = readFileSync(logPath).subarray(logStarts.get(logPath) ?? 0).toString("utf8");
  for (const pattern of REASON_PATTERNS) {
    const last = written.match(pattern)?.at(-1)?.trim();
    if (last) return `: ${last.length > 300 ? `${last.slice(0, 300)}…` : last}`;
  }
  return "";
}
