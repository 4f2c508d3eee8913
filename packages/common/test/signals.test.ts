// Ctrl-C under `pnpm start`: the service gets SIGINT from the terminal and SIGTERM from the supervisor. Its stop
// runs once, a signal arriving mid-stop does not end it half-way, and it exits 0.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const signalsModule = fileURLToPath(new URL("../src/signals.ts", import.meta.url));

describe("stopOnSignals", () => {
  it("stops once and exits 0 however many signals arrive, none cutting the stop short", async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), "signals-"));
    const script = path.join(folder, "service.ts");
    writeFileSync(
      script,
      `import { loggedStop, stopOnSignals } from ${JSON.stringify(signalsModule)};
const logger = { info: (m: string) => console.log(m), error: (m: string) => console.log("error: " + m) };
stopOnSignals(async () => {
  console.log("stop begins");
  await new Promise((resolve) => setTimeout(resolve, 500));
  console.log("stop ends");
}, loggedStop(logger));
console.log("serving");
setInterval(() => undefined, 1000);
`,
    );
    const child = spawn(process.execPath, ["--import", "tsx", script], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    await expect.poll(() => output, { timeout: 20_000 }).toContain("serving");
    child.kill("SIGINT");
    await expect.poll(() => output, { timeout: 5_000 }).toContain("stop begins");
    child.kill("SIGTERM");
    child.kill("SIGINT");
    const [code] = (await once(child, "exit")) as [number | null];
    expect(code).toBe(0);
    expect(output.match(/stop begins/g)).toHaveLength(1);
    expect(output).toContain("SIGINT: shutting down\nstop begins\nstop ends");
    expect(output).not.toContain("SIGTERM: shutting down");
  });
});
