// Drives the load-generating child process (client-process.ts) from the benchmark.
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ChildMessage, LoadJob, LoadResult, ParentMessage } from "./protocol.ts";

export type { LoadJob, LoadResult, RequestVariant } from "./protocol.ts";

export interface LoadGenerator {
  run(job: Omit<LoadJob, "id">): Promise<LoadResult>;
  close(): Promise<void>;
}

export async function startLoadGenerator(): Promise<LoadGenerator> {
  // The child runs under the same loader (tsx) as this process.
  const child: ChildProcess = fork(fileURLToPath(new URL("./client-process.ts", import.meta.url)), [], {
    execArgv: process.execArgv.filter((argument) => argument !== "--expose-gc"),
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const pending = new Map<number, { resolve(result: LoadResult): void; reject(error: Error): void }>();
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
    if (message.kind === "result") {
      pending.get(message.result.id)?.resolve(message.result);
      pending.delete(message.result.id);
    } else if (message.kind === "error") {
      pending.get(message.id)?.reject(new Error(message.message));
      pending.delete(message.id);
    }
  });
  child.on("exit", (code) => {
    exited = true;
    for (const { reject } of pending.values()) reject(new Error(`the load client exited (code ${code})`));
    pending.clear();
  });

  return {
    run(job) {
      const id = nextId;
      nextId += 1;
      return new Promise<LoadResult>((resolve, reject) => {
        if (exited) return reject(new Error("the load client has exited"));
        pending.set(id, { resolve, reject });
        const message: ParentMessage = { kind: "job", job: { ...job, id } };
        child.send(message);
      });
    },
    async close() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      const message: ParentMessage = { kind: "exit" };
      child.send(message);
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await gone;
      clearTimeout(timer);
    },
  };
}
