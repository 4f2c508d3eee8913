// Drives the load-generating child process (client-process.ts) from the benchmark.
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ChildMessage, FanOutJob, FanOutResult, LoadJob, LoadResult, ParentMessage } from "./protocol.ts";

export { epochNow, fanOutText } from "./protocol.ts";
export type { FanOutJob, FanOutResult, LoadJob, LoadResult, RequestVariant } from "./protocol.ts";

export interface FanOut {
  /** Every subscriber's connection is acknowledged (its subscribe message is on its way). */
  connected: Promise<void>;
  /** Waits until every subscriber has `expected` events (or the job's timeout), closes them and reports. */
  collect(): Promise<FanOutResult>;
}

export interface LoadGenerator {
  /** The load client's process id. */
  pid: number;
  run(job: Omit<LoadJob, "id">): Promise<LoadResult>;
  fanOut(job: Omit<FanOutJob, "id">): FanOut;
  close(): Promise<void>;
}

function replyId(reply: ChildMessage): number | undefined {
  switch (reply.kind) {
    case "ready":
      return undefined;
    case "result":
    case "fanout-result":
      return reply.result.id;
    default:
      return reply.id;
  }
}

interface Waiter {
  accept(message: ChildMessage): boolean;
  resolve(message: ChildMessage): void;
  reject(error: Error): void;
}

export async function startLoadGenerator(): Promise<LoadGenerator> {
  // The child runs under the same loader (tsx) as this process.
  const child: ChildProcess = fork(fileURLToPath(new URL("./client-process.ts", import.meta.url)), [], {
    execArgv: process.execArgv.filter((argument) => argument !== "--expose-gc"),
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const waiters = new Set<Waiter>();
  let nextId = 1;
  let exited = false;

  await new Promise<void>((resolve, reject) => {
    const onMessage = (message: ChildMessage) => {
      if (message.kind !== "ready") return;
      child.off("message", onMessage);
      child.off("exit", onExit);
      resolve();
    };
    const onExit = (code: number | null) => reject(new Error(`the load client exited at start (code ${code})`));
    child.on("message", onMessage);
    child.once("exit", onExit);
  });

  child.on("message", (message: ChildMessage) => {
    for (const waiter of waiters) {
      if (!waiter.accept(message)) continue;
      waiters.delete(waiter);
      waiter.resolve(message);
      return;
    }
  });
  child.on("exit", (code) => {
    exited = true;
    for (const waiter of waiters) waiter.reject(new Error(`the load client exited (code ${code})`));
    waiters.clear();
  });

  const request = <T extends ChildMessage>(message: ParentMessage, id: number, kind: T["kind"]): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (exited) return reject(new Error("the load client has exited"));
      waiters.add({
        accept: (reply) => (reply.kind === kind || reply.kind === "error") && replyId(reply) === id,
        resolve: (reply) => (reply.kind === "error" ? reject(new Error(reply.message)) : resolve(reply as T)),
        reject,
      });
      child.send(message);
    });

  const takeId = () => {
    const id = nextId;
    nextId += 1;
    return id;
  };

  return {
    pid: child.pid ?? -1,
    async run(job) {
      const id = takeId();
      const reply = await request<Extract<ChildMessage, { kind: "result" }>>({ kind: "job", job: { ...job, id } }, id, "result");
      return reply.result;
    },
    fanOut(job) {
      const id = takeId();
      const connected = request<Extract<ChildMessage, { kind: "fanout-connected" }>>({ kind: "fanout", job: { ...job, id } }, id, "fanout-connected").then(
        () => undefined,
      );
      return {
        connected,
        async collect() {
          await connected;
          const reply = await request<Extract<ChildMessage, { kind: "fanout-result" }>>({ kind: "fanout-collect", id }, id, "fanout-result");
          return reply.result;
        },
      };
    },
    async close() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.send({ kind: "exit" } satisfies ParentMessage);
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await gone;
      clearTimeout(timer);
    },
  };
}
