// The production build: what `pnpm build` writes under dist/, how (esbuild), and whether it is current.
// Used by scripts/build.ts (the CLI), scripts/microservices.ts (NODE_ENV=production runs dist/) and a test.
//
//   dist/<name>.mjs (+ .map)   one ESM bundle per service and database CLI, for Node 20: our workspace code
//                              (@watchflixx/*, whose exports point at .ts sources) bundled in; every npm
//                              package left as an import, loaded from node_modules at run time exactly as
//                              under tsx (one copy of graphql; CommonJS packages loaded by Node itself)
//   dist/node_modules/<pkg>    links to the npm packages our code imports, as resolved from the workspace
//                              package that imports them: pnpm does not hoist them to the root, and Node
//                              resolves a bundle's imports from the bundle's own folder
//   dist/build.json            what went in: the source files read (with their sha256), the packages linked,
//                              the bundle sizes. dist/ is current while those contents are: a file rewritten
//                              with the same bytes (`pnpm db:generate`) does not make it stale
//
// A bundle finds the repository (microservices.config.json, prisma/, schema-registry/) by walking up from
// its own file (findRepositoryRoot in @watchflixx/db/paths), so an output folder must be inside the checkout.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import path from "node:path";
import { build, type Plugin } from "esbuild";
import { repositoryRoot, SERVICE_NAMES, type ServiceName } from "@watchflixx/common";

export const distDir = path.join(repositoryRoot, "dist");
const MANIFEST = "build.json";

export type BundleName = ServiceName | "gateway" | "migrate" | "seed";

/** Every bundle and its entry point, relative to the repository root. */
export const BUNDLES: Record<BundleName, string> = {
  ...(Object.fromEntries(SERVICE_NAMES.map((name) => [name, `subgraphs/${name}/src/main.ts`])) as Record<ServiceName, string>),
  gateway: "router/src/main.ts",
  migrate: "packages/db/src/cli/migrate.ts",
  seed: "packages/db/src/seed/cli.ts",
};

export const BUNDLE_NAMES = Object.keys(BUNDLES) as BundleName[];

export function bundlePath(name: BundleName, outDir = distDir): string {
  return path.join(outDir, `${name}.mjs`);
}

export interface BuildManifest {
  builtAt: string;
  /** Source files the bundles were made from, relative to the repository root. */
  inputs: string[];
  /** sha256 of each input and of ALSO_WATCHED, by path: what staleReason compares. */
  hashes: Record<string, string>;
  /** npm package name → the folder <outDir>/node_modules/<name> links to, relative to the repository root. */
  packages: Record<string, string>;
  bundles: Partial<Record<BundleName, { bytes: number }>>;
}

const WORKSPACE_SCOPE = "@watchflixx/";
/** Besides the sources: a lockfile change can move the packages node_modules links point to. */
const ALSO_WATCHED = ["pnpm-lock.yaml"];

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. */
function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
}

/** The folder `name` resolves to from `fromDir`, as Node finds it (node_modules/<name>, walking up). */
function findPackageDir(name: string, fromDir: string): string | null {
  let dir = fromDir;
  for (;;) {
    const candidate = path.join(dir, "node_modules", name);
    if (existsSync(path.join(candidate, "package.json"))) return realpathSync(candidate);
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/**
 * Leaves every npm package (and Node's built-ins) out of the bundles and records the folder each one
 * resolves to from the file that imports it. One name resolving to two folders would make the single
 * node_modules link ambiguous: that fails the build.
 */
function externalPackages(linked: Map<string, string>): Plugin {
  return {
    name: "watchflixx-external-packages",
    setup(builder) {
      builder.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith(WORKSPACE_SCOPE) || path.isAbsolute(args.path)) return undefined;
        if (args.path.startsWith("node:") || isBuiltin(args.path)) return { path: args.path, external: true };
        const name = packageName(args.path);
        const dir = findPackageDir(name, args.resolveDir);
        if (!dir) return { errors: [{ text: `cannot find the package ${name} from ${path.relative(repositoryRoot, args.importer)}` }] };
        const known = linked.get(name);
        if (known && known !== dir) {
          const [a, b] = [known, dir].map((folder) => path.relative(repositoryRoot, folder));
          return { errors: [{ text: `${name} resolves to two folders (${a} and ${b}); pin one version in the pnpm catalog` }] };
        }
        linked.set(name, dir);
        return { path: args.path, external: true };
      });
    },
  };
}

/** <outDir>/node_modules/<name> → the package folder, as relative links (they survive moving the checkout). */
function linkPackages(outDir: string, linked: Map<string, string>): void {
  const modules = path.join(outDir, "node_modules");
  rmSync(modules, { recursive: true, force: true });
  for (const [name, target] of linked) {
    const link = path.join(modules, name);
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync(path.relative(path.dirname(link), target), link, "dir");
  }
}

/** Removes what an earlier build wrote (bundles, maps, manifest); a renamed bundle leaves nothing behind. */
function clearOutput(outDir: string): void {
  if (!existsSync(outDir)) return;
  for (const entry of readdirSync(outDir)) {
    if (/\.mjs(\.map)?$/.test(entry) || entry === MANIFEST) rmSync(path.join(outDir, entry), { force: true });
  }
}

/** Bundles `names` (default: all) into `outDir` (default: dist/, which must sit inside the repository). */
export async function buildBundles(options: { outDir?: string; names?: readonly BundleName[] } = {}): Promise<BuildManifest> {
  const outDir = options.outDir ?? distDir;
  const names = options.names ?? BUNDLE_NAMES;
  clearOutput(outDir);
  const linked = new Map<string, string>();
  const result = await build({
    absWorkingDir: repositoryRoot,
    entryPoints: Object.fromEntries(names.map((name) => [name, BUNDLES[name]])),
    outdir: outDir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    sourcemap: true,
    // Mappings only: `--enable-source-maps` keeps every loaded map in the heap, and the sources' text was 88 %
    // of each (about 2.4 MB per process). Stack traces still name the original file, line and column.
    sourcesContent: false,
    // type-graphql names GraphQL types after their classes, and bundling renames a class whose name clashes
    // with another module's (Profile → Profile2): keep every original name.
    keepNames: true,
    // The compiler options tsc and tsx use: experimentalDecorators (type-graphql's legacy decorators).
    // No decorator metadata: every type-graphql type is given explicitly.
    tsconfig: path.join(repositoryRoot, "tsconfig.json"),
    metafile: true,
    logLevel: "warning",
    plugins: [externalPackages(linked)],
  });
  const sorted = [...linked].sort(([a], [b]) => a.localeCompare(b));
  linkPackages(outDir, new Map(sorted));

  const bundles: BuildManifest["bundles"] = {};
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    if (file.endsWith(".mjs")) bundles[path.basename(file, ".mjs") as BundleName] = { bytes: output.bytes };
  }
  const inputs = Object.keys(result.metafile.inputs).sort();
  const manifest: BuildManifest = {
    builtAt: new Date().toISOString(),
    inputs,
    hashes: Object.fromEntries([...inputs, ...ALSO_WATCHED].map((file) => [file, fileHash(path.join(repositoryRoot, file))])),
    packages: Object.fromEntries(sorted.map(([name, dir]) => [name, path.relative(repositoryRoot, dir)])),
    bundles,
  };
  // Written last: a build that fails half-way leaves no manifest, so staleReason() says "not built".
  writeFileSync(path.join(outDir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

function fileHash(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

/**
 * Null when dist/ holds the given bundles (default: all) and none of the files they were built from changed
 * since; otherwise why not (the first reason found).
 */
export function staleReason(names: readonly BundleName[] = BUNDLE_NAMES, outDir = distDir): string | null {
  const manifestPath = path.join(outDir, MANIFEST);
  if (!existsSync(manifestPath)) return "dist/ has not been built";
  let manifest: BuildManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as BuildManifest;
  } catch {
    return `dist/${MANIFEST} is unreadable`;
  }
  for (const name of names) {
    if (!existsSync(bundlePath(name, outDir)) || !manifest.bundles[name]) return `dist/${name}.mjs is missing`;
  }
  if (!manifest.hashes) return "dist/ was built by an older pnpm build (no content hashes)";
  // By content, not time: regenerating or touching a file without changing it keeps dist/ current.
  for (const file of [...manifest.inputs, ...ALSO_WATCHED]) {
    const absolute = path.join(repositoryRoot, file);
    if (!existsSync(absolute)) return `${file} is gone`;
    if (manifest.hashes[file] !== fileHash(absolute)) return `${file} changed after the build`;
  }
  for (const name of Object.keys(manifest.packages)) {
    if (!existsSync(path.join(outDir, "node_modules", name))) return `dist/node_modules/${name} is missing`;
  }
  return null;
}
