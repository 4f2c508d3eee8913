// For tests only: a private redis-server on a free port that a test may stop and start again (to show that
// the event bus survives Redis going away) without touching the machine's own Redis.
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";

export interface TestRedisServer {
  readonly port: number;
  readonly url: string;
  /** Starts the server (again) on the same port; resolves when it answers PING. */
  start(): Promise<void>;
  /** Stops it (SIGTERM) and waits for the process to exit. */
  stop(): Promise<void>;
  readonly running: boolean;
}

/** A TCP port free on 127.0.0.1 right now (for a server a test starts itself). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => done(data.toString().startsWith("+PONG")));
  });
}

/** Starts `redis-server` (no persistence) on a free port of 127.0.0.1. */
export async function startTestRedis(): Promise<TestRedisServer> {
  const port = await freePort();
  let child: ChildProcess | null = null;

  async function start(): Promise<void> {
    if (child) return;
    const started = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", "/tmp", "--loglevel", "warning"],
      { stdio: "ignore" },
    );
    child = started;
    started.once("exit", () => {
      if (child === started) child = null;
    });
    for (let attempt = 0; attempt < 200; attempt += 1) {
      if (await ping(port)) return;
      if (!child) throw new Error(`redis-server on port ${port} exited at start`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`redis-server on port ${port} did not answer`);
  }

  async function stop(): Promise<void> {
    const running = child;
    if (!running) return;
    const exited = new Promise<void>((resolve) => running.once("exit", () => resolve()));
    running.kill("SIGTERM");
    await exited;
    child = null;
  }

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    start,
    stop,
    get running() {
      return child !== null;
    },
  };
}
