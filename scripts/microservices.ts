// `pnpm microservices:start|stop|status|logs|rebuild` and `pnpm start`: run the whole supergraph on this
// machine: every subgraph that exists, then the gateway once they answer their health checks.
//
//   start [--foreground]   start everything (foreground: stay attached, prefix output, Ctrl-C stops all;
//                          background: a detached supervisor process runs them, log in .logs/supervisor.log)
//         [--embedded]     everything in one process with an embedded PostgreSQL and an in-process bus
//                          (packages/embedded); also what `start --foreground` falls back to when PostgreSQL
//                          or Redis neither answers nor is installed. Never in production.
//   stop                   stop what `start` started (pid files under .run/)
//   status                 health of every service
//   logs [service]         follow the logs under .logs/ (one file per service)
//   rebuild                stop, regenerate the Prisma client (production: pnpm build), start again
//
// Development runs the TypeScript sources with tsx. NODE_ENV=production runs the bundles `pnpm build` wrote
// (node dist/<name>.mjs) and refuses to start when they are missing or older than the sources.
//
// Services come from microservices.config.json; a subgraph whose package has no src/index.ts yet is
// reported and left out (the gateway composes the ones that exist). `--only auth,content` starts those
// subgraphs (and the gateway); `--dir <path>` keeps .run/ and .logs/ there instead of the repository.
//
// Either way a service that crashes is started again with backoff and the log says so (scripts/supervisor.ts).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { appendFileSync, closeSync, createWriteStream, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigurationError, environmentPorts, isServiceName, loadDotEnv, repositoryRoot, SERVICE_NAMES, serviceRuntimeEnv, type ServiceName } from "@watchflixx/common";
import { bundlePath, staleReason } from "./dist.ts";
import { outputTail, Supervisor, type SupervisedService } from "./supervisor.ts";

/** Where .run/ and .logs/ live (`--dir`). */
let stateDir = repositoryRoot;
const runDir = () => path.join(stateDir, ".run");
const logDir = () => path.join(stateDir, ".logs");
const production = () => process.env.NODE_ENV === "production";

interface Target {
  name: ServiceName | "gateway";
  entry: string;
  port: number;
}

function targets(only?: ServiceName[]): { ready: Target[]; missing: ServiceName[] } {
  // <SERVICE>_PORT, else WATCHFLIXX_PORT_BASE + the service's offset (one variable moves the environment).
  const ports = environmentPorts();
  const ready: Target[] = [];
  const missing: ServiceName[] = [];
  for (const name of only ?? SERVICE_NAMES) {
    const entry = path.join(repositoryRoot, "subgraphs", name, "src/main.ts");
    if (existsSync(path.join(repositoryRoot, "subgraphs", name, "src/index.ts")) && existsSync(entry)) {
      ready.push({ name, entry, port: ports.services[name] });
    } else missing.push(name);
  }
  return { ready, missing };
}

function gatewayTarget(): Target {
  return { name: "gateway", entry: path.join(repositoryRoot, "router/src/main.ts"), port: environmentPorts().gateway };
}

function pidFile(name: string) {
  return path.join(runDir(), `${name}.pid`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function runningPid(name: string): number | null {
  if (!existsSync(pidFile(name))) return null;
  const pid = Number(readFileSync(pidFile(name), "utf8"));
  return Number.isInteger(pid) && isAlive(pid) ? pid : null;
}

async function healthy(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1000) });
    return response.ok;
  } catch {
    return false;
  }
}

function logPath(name: string): string {
  return path.join(logDir(), `${name}.log`);
}

/** The end of a log file: what a service printed last. */
function tailOfFile(file: string, lines = 8): string {
  if (!existsSync(file)) return "";
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, 4096);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString("utf8").split("\n").filter((line) => line.trim()).slice(-lines).join("\n");
  } finally {
    closeSync(fd);
  }
}

/**
 * One target as the supervisor sees it. Foreground: output piped, prefixed on the terminal and appended to
 * its log. Background: output straight into its log file (it outlives a supervisor that dies).
 */
function supervised(target: Target, foreground: boolean): SupervisedService {
  mkdirSync(logDir(), { recursive: true });
  mkdirSync(runDir(), { recursive: true });
  const file = logPath(target.name);
  // Development: tsx runs the TypeScript sources. Production: the bundle (source maps for stack traces).
  const args = production() ? ["--enable-source-maps", bundlePath(target.name)] : ["--import", "tsx", target.entry];
  // Production: the process settings the image and Kubernetes run every service with (SERVICE_RUNTIME_ENV).
  const env = production() ? serviceRuntimeEnv(process.env) : process.env;
  const tail = outputTail();
  const log = foreground ? createWriteStream(file, { flags: "a" }) : undefined;
  return {
    name: target.name,
    healthy: () => healthy(target.port),
    recentOutput: () => (foreground ? tail.text() : tailOfFile(file)),
    spawn() {
      let child: ChildProcess;
      if (foreground) {
        child = spawn(process.execPath, args, { cwd: repositoryRoot, env, stdio: ["ignore", "pipe", "pipe"] });
        for (const stream of [child.stdout, child.stderr]) {
          stream?.on("data", (chunk: Buffer) => {
            log?.write(chunk);
            tail.add(chunk);
            for (const line of chunk.toString().split("\n")) if (line) process.stdout.write(`${target.name.padEnd(12)} | ${line}\n`);
          });
        }
      } else {
        const fd = openSync(file, "a");
        child = spawn(process.execPath, args, { cwd: repositoryRoot, env, stdio: ["ignore", fd, fd] });
        closeSync(fd);
      }
      if (child.pid) writeFileSync(pidFile(target.name), String(child.pid));
      return child;
    },
  };
}

/** The supervisor's own lines: on the terminal (or supervisor.log) and in the service's log. */
function supervisorLog(foreground: boolean) {
  return (message: string, service?: string) => {
    const line = `${new Date().toISOString()} ${message}`;
    if (foreground) process.stdout.write(`${(service ?? "supervisor").padEnd(12)} | ${line}\n`);
    else console.log(line);
    if (service) appendFileSync(logPath(service), `${line}\n`);
  };
}

/**
 * Starts the subgraphs, then the gateway once they answer, and keeps them all running (restarts with backoff)
 * until SIGINT/SIGTERM. Foreground: `pnpm start`. Background: the detached `supervise` process.
 */
async function superviseAll(options: Options): Promise<void> {
  const { ready, missing } = targets(options.only);
  if (missing.length) console.log(`not built yet, left out of composition: ${missing.join(", ")}`);
  if (production()) {
    const reason = staleReason([...ready.map((target) => target.name), "gateway"]);
    if (reason) throw new Error(`NODE_ENV=production runs dist/, which is missing or out of date (${reason}): run pnpm build first`);
  }
  const supervisor = new Supervisor(supervisorLog(options.foreground));
  // Only the pid files of what this run started (a service found already running keeps its own).
  const started: string[] = [];
  const stopStarted = async () => {
    await supervisor.stop();
    for (const name of started) rmSync(pidFile(name), { force: true });
  };
  const shutdown = async () => {
    await stopStarted();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown());
  process.once("SIGTERM", () => void shutdown());
  try {
    const toStart = ready.filter((target) => {
      const pid = runningPid(target.name);
      if (pid) console.log(`${target.name} already running (pid ${pid}), not supervised`);
      return !pid;
    });
    started.push(...toStart.map((target) => target.name));
    await Promise.all(toStart.map((target) => supervisor.start(supervised(target, options.foreground))));
    console.log(`subgraphs up: ${ready.map((t) => `${t.name}:${t.port}`).join(", ")}`);

    const gateway = gatewayTarget();
    if (!runningPid("gateway")) {
      // The gateway composes the subgraphs that are running (development) unless told to serve the registry.
      process.env.SUPERGRAPH_MODE ??= production() ? "static" : "introspect";
      process.env.SUPERGRAPH_SERVICES ??= ready.map((t) => t.name).join(",");
      started.push(gateway.name);
      await supervisor.start(supervised(gateway, options.foreground));
    }
    console.log(`WatchFlixx is up: http://127.0.0.1:${gateway.port}/graphql`);
  } catch (error) {
    await stopStarted();
    throw error;
  }
  await new Promise(() => undefined);
}

/** `pnpm microservices:start`: a detached supervisor runs everything; this returns once all answer /health. */
async function startInBackground(options: Options): Promise<void> {
  const running = runningPid("supervisor");
  if (running) {
    console.log(`already running (supervisor pid ${running}); pnpm microservices:stop first to restart`);
    return;
  }
  mkdirSync(logDir(), { recursive: true });
  mkdirSync(runDir(), { recursive: true });
  const log = logPath("supervisor");
  const fd = openSync(log, "a");
  const args = ["--import", "tsx", fileURLToPath(import.meta.url), "supervise", "--dir", stateDir, ...(options.only ? ["--only", options.only.join(",")] : [])];
  const supervisor = spawn(process.execPath, args, { cwd: repositoryRoot, env: process.env, stdio: ["ignore", fd, fd], detached: true });
  closeSync(fd);
  if (supervisor.pid) writeFileSync(pidFile("supervisor"), String(supervisor.pid));
  supervisor.unref();

  const { ready } = targets(options.only);
  const all = [...ready, gatewayTarget()];
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (supervisor.exitCode !== null || !isAlive(supervisor.pid ?? -1)) {
      rmSync(pidFile("supervisor"), { force: true });
      throw new Error(`could not start:\n${tailOfFile(log, 12)}\n(see .logs/ for each service's output)`);
    }
    const answers = await Promise.all(all.map((target) => healthy(target.port)));
    if (answers.every(Boolean)) {
      console.log(`subgraphs up: ${ready.map((t) => `${t.name}:${t.port}`).join(", ")}`);
      console.log(`WatchFlixx is up: http://127.0.0.1:${gatewayTarget().port}/graphql (supervisor pid ${supervisor.pid}, restarts crashed services; log in .logs/supervisor.log)`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("the services did not all answer /health within 180 s: see .logs/supervisor.log");
}

async function stop(): Promise<void> {
  // The supervisor first, so that it stops its services instead of restarting them.
  const supervisor = runningPid("supervisor");
  if (supervisor) {
    process.kill(supervisor, "SIGTERM");
    for (let waited = 0; waited < 200 && isAlive(supervisor); waited += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    console.log(`stopped the supervisor (pid ${supervisor})`);
  }
  rmSync(pidFile("supervisor"), { force: true });
  for (const name of [...SERVICE_NAMES, "gateway"]) {
    const pid = runningPid(name);
    if (pid) {
      // Left over (a supervisor killed -9), or started by an older version detached: its own process group.
      try {
        process.kill(-pid, "SIGTERM");
      } catch {
        process.kill(pid, "SIGTERM");
      }
      console.log(`stopped ${name} (pid ${pid})`);
    }
    rmSync(pidFile(name), { force: true });
  }
}

async function status(options: Options): Promise<number> {
  let down = 0;
  const supervisor = runningPid("supervisor");
  console.log(supervisor ? `supervisor   pid ${supervisor}: restarts crashed services` : "supervisor   not running");
  for (const target of [...targets(options.only).ready, gatewayTarget()]) {
    const ok = await healthy(target.port);
    if (!ok) down += 1;
    console.log(`${target.name.padEnd(12)} ${String(target.port).padEnd(6)} ${ok ? "healthy" : "down"}`);
  }
  return down === 0 ? 0 : 1;
}

function logs(service: string | undefined): void {
  const files = service ? [logPath(service)] : [path.join(logDir(), "*.log")];
  spawnSync("sh", ["-c", `tail -n 50 -F ${files.join(" ")}`], { stdio: "inherit" });
}

interface Options {
  foreground: boolean;
  only?: ServiceName[];
  embedded: boolean;
}

function parseOptions(args: string[]): Options {
  const value = (flag: string) => {
    const index = args.indexOf(flag);
    return index >= 0 ? args[index + 1] : undefined;
  };
  const dir = value("--dir");
  if (dir) stateDir = path.resolve(dir);
  const only = value("--only")?.split(",").map((name) => name.trim()).filter(Boolean);
  const unknown = only?.find((name) => !isServiceName(name));
  if (unknown) throw new Error(`--only: no service named ${unknown} (${SERVICE_NAMES.join(", ")})`);
  return { foreground: args.includes("--foreground"), only: only as ServiceName[] | undefined, embedded: args.includes("--embedded") };
}

/** Embedded mode when asked, or when this machine lacks PostgreSQL or Redis (packages/embedded decides). */
async function startedEmbedded(options: Options): Promise<boolean> {
  const { embeddedPlanFor } = await import("@watchflixx/embedded");
  let plan;
  try {
    ({ plan } = await embeddedPlanFor(process.env, options.embedded));
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    // Not asked for, and the configuration is bad anyway: the services themselves say what is wrong, as usual.
    if (!options.embedded && !error.message.startsWith("WATCHFLIXX_EMBEDDED")) return false;
    throw new Error(`Configuration error: ${error.message}`);
  }
  if (!plan) return false;
  if (!options.foreground) throw new Error("embedded mode runs attached: use `pnpm start` (add --embedded to force it)");
  const { runEmbedded } = await import("@watchflixx/embedded/main");
  return runEmbedded(options.embedded);
}

async function main(): Promise<number> {
  loadDotEnv();
  const [command, ...args] = process.argv.slice(2);
  const options = parseOptions(args);
  switch (command) {
    case "start":
      if (await startedEmbedded(options)) return 0;
      if (options.foreground) await superviseAll(options);
      else await startInBackground(options);
      return 0;
    case "supervise":
      await superviseAll({ ...options, foreground: false });
      return 0;
    case "stop":
      await stop();
      return 0;
    case "status":
      return status(options);
    case "logs":
      logs(args.find((arg, index) => !arg.startsWith("--") && !["--dir", "--only"].includes(args[index - 1] ?? "")));
      return 0;
    case "rebuild": {
      await stop();
      const generate = spawnSync("pnpm", [production() ? "build" : "db:generate"], { cwd: repositoryRoot, stdio: "inherit" });
      if (generate.status !== 0) return generate.status ?? 1;
      await startInBackground(options);
      return 0;
    }
    default:
      console.error("usage: microservices.ts start [--foreground] [--only <services>] [--dir <path>] | stop | status | logs [service] | rebuild");
      return 2;
  }
}

main().then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
