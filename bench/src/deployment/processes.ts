// The deployment's processes: each service started as production runs it (`node --enable-source-maps
// dist/<name>.mjs`, NODE_ENV=production), plus the bench's own servers (the floor, the peer gateways), every one
// with the counting probe preloaded (probe.mjs) and an IPC channel to read its counts. CPU time and RSS come from
// /proc/<pid>/stat and /proc/<pid>/status, so they cover the whole process (every thread, GC included).
import { spawn, type ChildProcess } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import net from "node:net";
import { fileURLToPath } from "node:url";

export const PROBE = fileURLToPath(new URL("./probe.mjs", import.meta.url));
/** Linux reports process times in clock ticks of 1/100 s (USER_HZ). */
const TICKS_PER_SECOND = 100;

export interface ProbeCounts {
  statements: number;
  requests: number;
}

export interface ServiceProcess {
  name: string;
  port: number;
  pid: number;
  /** What the probe counted so far in that process. */
  counts(): Promise<ProbeCounts>;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (the kernel's ephemeral range: far from the WHATWG bad ports). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function healthy(port: number, probePath: string | null): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}${probePath ?? "/"}`, { signal: AbortSignal.timeout(1000) });
    return probePath === null || response.ok;
  } catch {
    return false;
  }
}

export interface StartOptions {
  name: string;
  port: number;
  /** node's arguments after the probe: the bundle, or `--import tsx <file.ts>` for the bench's own servers. */
  args: string[];
  env: Record<string, string>;
  cwd: string;
  timeoutMs?: number;
  /**
   * Waited for until it answers 200: /health by default (the gateway: /ready, once it has its supergraph);
   * null: any HTTP answer (a server that listens only once it is ready).
   */
  probePath?: string | null;
}

/** Starts one process and waits for its /health (its output is kept: the tail is shown when it fails). */
export async function startService(options: StartOptions): Promise<ServiceProcess> {
  const child: ChildProcess = spawn(process.execPath, ["--import", PROBE, ...options.args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let waiting: ((counts: ProbeCounts) => void) | undefined;
  child.on("message", (message: { kind?: string } & ProbeCounts) => {
    if (message.kind === "bench-counts") waiting?.({ statements: message.statements, requests: message.requests });
  });

  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (!(await healthy(options.port, options.probePath === undefined ? "/health" : options.probePath))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${options.name} did not start (exit ${child.exitCode ?? "none, timed out"}):\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    name: options.name,
    port: options.port,
    pid: child.pid ?? -1,
    counts() {
      return new Promise<ProbeCounts>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${options.name}: no counts from its probe`)), 5000);
        waiting = (counts) => {
          clearTimeout(timer);
          waiting = undefined;
          resolve(counts);
        };
        child.send({ kind: "bench-counts" });
      });
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// -- /proc -----------------------------------------------------------------------------------------------------

/** CPU time (user + system) of one process in ms; null when it is gone. */
export async function cpuMs(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1000;
  } catch {
    return null;
  }
}

/** Resident set size of one process in MB. */
export async function rssMb(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * PostgreSQL's backends serving one database: postmaster children whose command line PostgreSQL sets to
 * "postgres: 15/main: <user> <database> <client> <state>". Their CPU is PostgreSQL's work for the benchmark.
 */
export async function postgresBackends(database: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = (await readFile(`/proc/${entry}/cmdline`, "utf8")).replaceAll("\0", " ");
      // "postgres: [<cluster>: ]<user> <database> <client> <state>" (Debian adds the cluster name).
      if (cmdline.startsWith("postgres: ") && cmdline.split(" ").includes(database)) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

/** Total CPU ms of every process on the machine (for "everything else"), by pid. */
export async function allCpuMs(): Promise<Map<number, number>> {
  const result = new Map<number, number>();
  await Promise.all(
    (await readdir("/proc"))
      .filter((entry) => /^\d+$/.test(entry))
      .map(async (entry) => {
        const ms = await cpuMs(Number(entry));
        if (ms !== null) result.set(Number(entry), ms);
      }),
  );
  return result;
}
