// Keeps the services `pnpm start` and `pnpm microservices:start` run alive: a service that exits is started
// again after a delay that doubles with each crash (1 s, 2 s, 4 s ... 30 s) and goes back to 1 s once it has
// stayed up a minute. Every restart is said in the log: "content exited with code 1; restarting in 2 s".
//
// A service that cannot start (a configuration error, a port in use, the database refusing it) would only loop:
// at the first start it stops everything with its last output (as before), and after that the supervisor gives
// up on it after MAX_STARTUP_FAILURES exits in a row that never reached a healthy /health, saying why.
import type { ChildProcess } from "node:child_process";

export interface RestartPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  /** Up this long, a service's next crash starts the delays over. */
  stableAfterMs: number;
  /** Exits in a row before /health ever answered, after which the service is left down. */
  maxStartupFailures: number;
  /** How often /health is polled while a service starts. */
  healthPollMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  stableAfterMs: 60_000,
  maxStartupFailures: 5,
  healthPollMs: 250,
};

export interface SupervisedService {
  name: string;
  /** Starts one process of the service. */
  spawn(): ChildProcess;
  /** True when the service answers its /health. */
  healthy(): Promise<boolean>;
  /** The last lines the service printed (to say why it failed). */
  recentOutput(): string;
}

interface Running {
  service: SupervisedService;
  child: ChildProcess;
  startedAt: number;
  healthy: boolean;
  /** Crashes since the service was last stable: the exponent of the next delay. */
  crashes: number;
  /** Exits in a row before /health answered. */
  startupFailures: number;
  restartTimer?: NodeJS.Timeout;
}

export class StartupFailure extends Error {}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `was killed by ${signal}` : `exited with code ${code}`;
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

export class Supervisor {
  private readonly services = new Map<string, Running>();
  private stopping = false;

  constructor(
    private readonly log: (message: string, service?: string) => void,
    private readonly policy: RestartPolicy = DEFAULT_RESTART_POLICY,
  ) {}

  /** Starts `service` and resolves once its /health answers; rejects (StartupFailure) if it exits first. */
  async start(service: SupervisedService, timeoutMs = 120_000): Promise<void> {
    const running: Running = { service, child: service.spawn(), startedAt: Date.now(), healthy: false, crashes: 0, startupFailures: 0 };
    this.services.set(service.name, running);
    const exited = new Promise<never>((_resolve, reject) => {
      running.child.once("exit", (code, signal) =>
        reject(new StartupFailure(`${service.name} ${describeExit(code, signal)} before it answered /health${lastWords(service)}`)),
      );
    });
    exited.catch(() => undefined);
    const deadline = Date.now() + timeoutMs;
    while (!(await service.healthy())) {
      if (running.child.exitCode !== null || running.child.signalCode !== null) await exited;
      if (Date.now() > deadline) throw new StartupFailure(`${service.name} did not answer /health within ${seconds(timeoutMs)}`);
      await Promise.race([sleep(this.policy.healthPollMs), exited]);
    }
    running.healthy = true;
    this.watch(running);
  }

  /** The process currently serving `name` (tests and the pid files read it). */
  pid(name: string): number | undefined {
    return this.services.get(name)?.child.pid;
  }

  /** No more restarts; SIGTERM to every service, SIGKILL to those still there after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    await Promise.all(
      [...this.services.values()].map(async (running) => {
        clearTimeout(running.restartTimer);
        const { child } = running;
        if (child.exitCode !== null || child.signalCode !== null) return;
        const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
        await gone;
        clearTimeout(timer);
      }),
    );
  }

  private watch(running: Running): void {
    running.child.once("exit", (code, signal) => {
      if (this.stopping) return;
      const { service } = running;
      const upMs = Date.now() - running.startedAt;
      if (running.healthy) running.startupFailures = 0;
      else running.startupFailures += 1;
      if (upMs >= this.policy.stableAfterMs) running.crashes = 0;
      if (running.startupFailures >= this.policy.maxStartupFailures) {
        this.log(
          `${service.name} ${describeExit(code, signal)}; it failed to start ${running.startupFailures} times in a row: giving up on it${lastWords(service)}`,
          service.name,
        );
        return;
      }
      const delay = Math.min(this.policy.initialDelayMs * 2 ** running.crashes, this.policy.maxDelayMs);
      running.crashes += 1;
      this.log(`${service.name} ${describeExit(code, signal)}; restarting in ${seconds(delay)}`, service.name);
      running.restartTimer = setTimeout(() => this.restart(running), delay);
    });
  }

  private restart(running: Running): void {
    if (this.stopping) return;
    running.child = running.service.spawn();
    running.startedAt = Date.now();
    running.healthy = false;
    this.watch(running);
    void this.awaitHealth(running, running.child);
  }

  /** Marks the run healthy once /health answers (what tells a crash from a failed start). */
  private async awaitHealth(running: Running, child: ChildProcess): Promise<void> {
    while (running.child === child && child.exitCode === null && child.signalCode === null && !this.stopping) {
      if (await running.service.healthy()) {
        if (running.child === child) {
          running.healthy = true;
          this.log(`${running.service.name} is back (pid ${child.pid})`, running.service.name);
        }
        return;
      }
      await sleep(this.policy.healthPollMs);
    }
  }
}

function lastWords(service: SupervisedService): string {
  const output = service.recentOutput().trim();
  return output ? `. Last output:\n${output}` : "";
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Keeps the last `lines` lines written to the given streams. */
export function outputTail(lines = 8) {
  const kept: string[] = [];
  return {
    add(chunk: Buffer | string): void {
      for (const line of chunk.toString().split("\n")) {
        if (!line.trim()) continue;
        kept.push(line);
        if (kept.length > lines) kept.shift();
      }
    },
    text: () => kept.join("\n"),
  };
}
