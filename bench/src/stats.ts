// Figures: percentiles, memory snapshots and the tables the benchmark prints.

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Percentiles (nearest rank) of latencies in milliseconds. */
export function summarize(latenciesMs: readonly number[]): LatencySummary {
  if (latenciesMs.length === 0) return { count: 0, p50: Number.NaN, p95: Number.NaN, p99: Number.NaN, max: Number.NaN, mean: Number.NaN };
  const sorted = Float64Array.from(latenciesMs).sort();
  const at = (quantile: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(quantile * sorted.length) - 1))] ?? Number.NaN;
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    count: sorted.length,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    mean: sum / sorted.length,
  };
}

export interface MemorySnapshot {
  rssMb: number;
  heapUsedMb: number;
}

const MB = 1024 * 1024;

/** This process's memory; with `collect`, after a full GC when node runs with --expose-gc. */
export function memory(collect = false): MemorySnapshot {
  if (collect) runGc();
  const usage = process.memoryUsage();
  return { rssMb: usage.rss / MB, heapUsedMb: usage.heapUsed / MB };
}

export function gcAvailable(): boolean {
  return typeof globalThis.gc === "function";
}

function runGc(): void {
  const gc = globalThis.gc;
  if (typeof gc === "function") {
    gc();
    gc();
  }
}

// -- formatting ---------------------------------------------------------------------------------------------

export function fixed(value: number | undefined, digits = 1): string {
  if (value === undefined || Number.isNaN(value)) return "-";
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function integer(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return "-";
  return Math.round(value).toLocaleString("en-US");
}

export function seconds(ms: number): string {
  return `${fixed(ms / 1000, 2)} s`;
}

/** A plain-text table (also valid GitHub markdown), numbers right-aligned. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? "").length)));
  const numeric = headers.map((_header, column) => rows.length > 0 && rows.every((row) => /^[-+~]?[\d,.]+( ?[a-zA-Z%/]+)?$|^-$/.test(row[column] ?? "")));
  const cell = (text: string, column: number) => (numeric[column] ? text.padStart(widths[column] ?? 0) : text.padEnd(widths[column] ?? 0));
  const line = (cells: readonly string[]) => `| ${cells.map((text, column) => cell(text, column)).join(" | ")} |`;
  const rule = `|${widths.map((width, column) => (numeric[column] ? `${"-".repeat(width + 1)}:` : `:${"-".repeat(width + 1)}`)).join("|")}|`;
  return [line(headers), rule, ...rows.map(line)].join("\n");
}

// -- the machine ----------------------------------------------------------------------------------------------

async function readCpuTimes(): Promise<{ busy: number; total: number } | null> {
  try {
    const { readFile } = await import("node:fs/promises");
    const line = (await readFile("/proc/stat", "utf8")).split("\n")[0] ?? "";
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal ...
    const idle = (values[3] ?? 0) + (values[4] ?? 0);
    const total = values.slice(0, 8).reduce((sum, value) => sum + value, 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/** How busy all CPUs were over `ms` (0..1), from /proc/stat; null where that file does not exist. */
export async function machineBusy(ms = 1000): Promise<number | null> {
  const before = await readCpuTimes();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = await readCpuTimes();
  if (!before || !after || after.total === before.total) return null;
  return (after.busy - before.busy) / (after.total - before.total);
}
