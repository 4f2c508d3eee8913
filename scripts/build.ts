// `pnpm build` runs db:generate and the typecheck, then this: every service and database CLI bundled into
// dist/<name>.mjs (see scripts/dist.ts for what goes in and why).
//   tsx scripts/build.ts           build dist/
//   tsx scripts/build.ts --check   exit 1 unless dist/ is current (`pnpm build:check`; what
//                                  `NODE_ENV=production pnpm microservices:start` checks before it starts)
import { statSync } from "node:fs";
import { buildBundles, bundlePath, staleReason, type BundleName } from "./dist.ts";

const kib = (bytes: number) => `${Math.round(bytes / 1024)} KiB`;

async function main(args: readonly string[]): Promise<number> {
  if (args.length === 1 && args[0] === "--check") {
    const reason = staleReason();
    if (reason) {
      console.error(`dist/ is out of date (${reason}): run pnpm build`);
      return 1;
    }
    console.log("dist/ is current");
    return 0;
  }
  if (args.length) {
    console.error("usage: tsx scripts/build.ts [--check]");
    return 2;
  }
  const started = performance.now();
  const manifest = await buildBundles();
  for (const [name, output] of Object.entries(manifest.bundles)) {
    const map = statSync(`${bundlePath(name as BundleName)}.map`).size;
    console.log(`  dist/${`${name}.mjs`.padEnd(18)} ${kib(output.bytes).padStart(8)}  (source map ${kib(map)})`);
  }
  console.log(
    `bundled ${Object.keys(manifest.bundles).length} entry points from ${manifest.inputs.length} source files ` +
      `(${Object.keys(manifest.packages).length} npm packages linked in dist/node_modules) in ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // esbuild has already printed its errors with their file and line.
    if (!(error instanceof Error && "errors" in error)) console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
