// Who used the CPU during a run: this benchmark (server process and load client), PostgreSQL, and everything
// else on the machine (other engineers' test runs, a dev stack). Read from /proc (Linux); elsewhere: unknown.
import { readdir, readFile } from "node:fs/promises";

/** Linux reports process times in clock ticks of 1/100 s (USER_HZ). */
const TICKS_PER_SECOND = 100;

interface ProcessTimes {
  name: string;
  ticks: number;
}

async function processTimes(): Promise<Map<number, ProcessTimes> | null> {
  let entries: string[];
  try {
    entries = await readdir("/proc");
  } catch {
    return null;
  }
  const times = new Map<number, ProcessTimes>();
  await Promise.all(
    entries
      .filter((entry) => /^\d+$/.test(entry))
      .map(async (entry) => {
        try {
          const stat = await readFile(`/proc/${entry}/stat`, "utf8");
          // "pid (name) state ppid ..." — the name may contain spaces; fields after ")" are 3..; utime/stime are 14/15.
          const close = stat.lastIndexOf(")");
          const name = stat.slice(stat.indexOf("(") + 1, close);
          const fields = stat.slice(close + 2).split(" ");
          times.set(Number(entry), { name, ticks: Number(fields[11]) + Number(fields[12]) });
        } catch {
          // The process ended meanwhile.
        }
      }),
  );
  return times;
}

export interface CpuShares {
  /** Cores' worth of CPU (1 = one core busy all the time). */
  bench: number;
  postgres: number;
  others: number;
}

export interface CpuSampler {
  stop(): Promise<CpuShares | null>;
}

/** Starts a sample; `benchPids` are this benchmark's processes (server, load client). */
export async function sampleCpu(benchPids: () => readonly number[]): Promise<CpuSampler> {
  const before = await processTimes();
  const started = performance.now();
  return {
    async stop() {
      const after = await processTimes();
      const seconds = (performance.now() - started) / 1000;
      if (!before || !after || seconds <= 0) return null;
      const mine = new Set(benchPids());
      const shares = { bench: 0, postgres: 0, others: 0 };
      for (const [pid, now] of after) {
        const ticks = now.ticks - (before.get(pid)?.ticks ?? 0);
        if (ticks <= 0) continue;
        const cores = ticks / TICKS_PER_SECOND / seconds;
        if (mine.has(pid)) shares.bench += cores;
        else if (now.name === "postgres") shares.postgres += cores;
        else shares.others += cores;
      }
      return shares;
    },
  };
}
