// `pnpm microservices:start|stop|status|logs|rebuild` and `pnpm start`: run the whole supergraph on this
// machine: every subgraph that exists, then the gateway once they answer their health checks.
//
//   start [--foreground]   start everything (foreground: stay attached, prefix output, Ctrl-C stops all)
//   stop                   stop what `start` started (pid files under .run/)
//   status                 health of every service
//   logs [service]         follow the logs under .logs/ (one file per service)
//   rebuild                stop, regenerate the Prisma client (production: pnpm build), start again
//
// Development runs the TypeScript sources with tsx. NODE_ENV=production runs the bundles `pnpm build` wrote
// (node dist/<name>.mjs) and refuses to start when they are missing or older than the sources.
//
// Services come from microservices.config.json; a subgraph whose package has no src/index.ts yet is
// reported and left out (the gateway composes the ones that exist).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, createWriteStream, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { environmentPorts, loadDotEnv, repositoryRoot, SERVICE_NAMES, type ServiceName } from "@watchflixx/common";
import { bundlePath, staleReason } from "./dist.ts";
import { exitReason, markLogStart } from "./exit-reason.ts";

const runDir = path.join(repositoryRoot, ".run");
const logDir = path.join(repositoryRoot, ".logs");
const production = () => process.env.NODE_ENV === "production";

interface Target {
  name: ServiceName | "gateway";
  entry: string;
  port: number;
}

function targets(): { ready: Target[]; missing: ServiceName[] } {
  // <SERVICE>_PORT, else WATCHFLIXX_PORT_BASE + the service's offset (one variable moves the environment).
  const ports = environmentPorts();
  const ready: Target[] = [];
  const missing: ServiceName[] = [];
  for (const name of SERVICE_NAMES) {
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
  return path.join(runDir, `${name}.pid`);
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

async function waitHealthy(target: Target, child: ChildProcess | null, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await healthy(target.port)) return;
    if (child && child.exitCode !== null) {
      throw new Error(`${target.name} exited with code ${child.exitCode}${exitReason(path.join(logDir, `${target.name}.log`))}; see .logs/${target.name}.log`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${target.name} did not answer http://127.0.0.1:${target.port}/health within ${timeoutMs / 1000}s`);
}

function spawnTarget(target: Target, foreground: boolean): ChildProcess {
  mkdirSync(logDir, { recursive: true });
  mkdirSync(runDir, { recursive: true });
  const logPath = path.join(logDir, `${target.name}.log`);
  markLogStart(logPath);
  // Development: tsx runs the TypeScript sources. Production: the bundle (source maps for stack traces).
  const args = production() ? ["--enable-source-maps", bundlePath(target.name)] : ["--import", "tsx", target.entry];
  if (!foreground) {
    // Detached, writing straight to its log file: it outlives this command.
    const fd = openSync(logPath, "a");
    const child = spawn(process.execPath, args, { cwd: repositoryRoot, env: process.env, stdio: ["ignore", fd, fd], detached: true });
    closeSync(fd);
    if (child.pid) writeFileSync(pidFile(target.name), String(child.pid));
    child.unref();
    return child;
  }
  const child = spawn(process.execPath, args, { cwd: repositoryRoot, env: process.env, stdio: ["ignore", "pipe", "pipe"] });
  const log = createWriteStream(logPath, { flags: "a" });
  for (const stream of [child.stdout, child.stderr]) {
    stream.on("data", (chunk: Buffer) => {
      log.write(chunk);
      for (const line of chunk.toString().split("\n")) if (line) process.stdout.write(`${target.name.padEnd(12)} | ${line}\n`);
    });
  }
  if (child.pid) writeFileSync(pidFile(target.name), String(child.pid));
  return child;
}

async function start(foreground: boolean): Promise<void> {
  const { ready, missing } = targets();
  if (missing.length) console.log(`not built yet, left out of composition: ${missing.join(", ")}`);
  if (production()) {
    const reason = staleReason([...ready.map((target) => target.name), "gateway"]);
    if (reason) throw new Error(`NODE_ENV=production runs dist/, which is missing or out of date (${reason}): run pnpm build first`);
  }
  const children: ChildProcess[] = [];
  const stopAll = () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  };
  if (foreground) {
    process.once("SIGINT", () => {
      stopAll();
      process.exit(0);
    });
    process.once("SIGTERM", () => {
      stopAll();
      process.exit(0);
    });
  }
  try {
    const started = ready.map((target) => {
      const pid = runningPid(target.name);
      if (pid) {
        console.log(`${target.name} already running (pid ${pid})`);
        return { target, child: null };
      }
      const child = spawnTarget(target, foreground);
      children.push(child);
      return { target, child };
    });
    await Promise.all(started.map(({ target, child }) => waitHealthy(target, child)));
    console.log(`subgraphs up: ${ready.map((t) => `${t.name}:${t.port}`).join(", ")}`);

    const gateway = gatewayTarget();
    if (!runningPid("gateway")) {
      // The gateway composes the subgraphs that are running (development) unless told to serve the registry.
      process.env.SUPERGRAPH_MODE ??= production() ? "static" : "introspect";
      process.env.SUPERGRAPH_SERVICES ??= ready.map((t) => t.name).join(",");
      const child = spawnTarget(gateway, foreground);
      children.push(child);
      await waitHealthy(gateway, child);
    }
    console.log(`WatchFlixx is up: http://127.0.0.1:${gateway.port}/graphql`);
  } catch (error) {
    stopAll();
    // What this start spawned is gone: no pid file may point at a pid the system could hand to someone else.
    const ours = new Set(children.map((child) => String(child.pid)));
    for (const name of [...SERVICE_NAMES, "gateway"]) {
      if (existsSync(pidFile(name)) && ours.has(readFileSync(pidFile(name), "utf8").trim())) rmSync(pidFile(name), { force: true });
    }
    throw error;
  }
  if (foreground) await new Promise(() => undefined);
}

function stop(): void {
  for (const name of [...SERVICE_NAMES, "gateway"]) {
    const pid = runningPid(name);
    if (pid) {
      // Started detached: the pid is its process group.
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

async function status(): Promise<number> {
  let down = 0;
  for (const target of [...targets().ready, gatewayTarget()]) {
    const ok = await healthy(target.port);
    if (!ok) down += 1;
    console.log(`${target.name.padEnd(12)} ${String(target.port).padEnd(6)} ${ok ? "healthy" : "down"}`);
  }
  return down === 0 ? 0 : 1;
}

function logs(service: string | undefined): void {
  const files = service ? [path.join(logDir, `${service}.log`)] : [path.join(logDir, "*.log")];
  spawnSync("sh", ["-c", `tail -n 50 -F ${files.join(" ")}`], { stdio: "inherit" });
}

async function main(): Promise<number> {
  loadDotEnv();
  const [command, ...args] = process.argv.slice(2);
  switch (command) {
    case "start":
      await start(args.includes("--foreground"));
      return 0;
    case "stop":
      stop();
      return 0;
    case "status":
      return status();
    case "logs":
      logs(args[0]);
      return 0;
    case "rebuild": {
      stop();
      const generate = spawnSync("pnpm", [production() ? "build" : "db:generate"], { cwd: repositoryRoot, stdio: "inherit" });
      if (generate.status !== 0) return generate.status ?? 1;
      await start(false);
      return 0;
    }
    default:
      console.error("usage: microservices.ts start [--foreground] | stop | status | logs [service] | rebuild");
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
