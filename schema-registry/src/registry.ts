// The registry's files in schema-registry/: `<name>.graphql` per subgraph, `supergraph.graphql` (what the
// gateway serves in production), `api-schema.graphql` (the client-facing schema, codegen's input),
// `manifest.json` (each file's sha256 and when it was published) and `announcements.json` (written by people).
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { SubgraphSource } from "./compose.ts";

export const SUPERGRAPH_FILE = "supergraph.graphql";
export const API_SCHEMA_FILE = "api-schema.graphql";
export const MANIFEST_FILE = "manifest.json";
export const ANNOUNCEMENTS_FILE = "announcements.json";

export interface PublishedFile {
  file: string;
  sha256: string;
  /** When this content was first published (kept as long as the content does not change). */
  publishedAt: string;
}

export interface PublishedSubgraph extends PublishedFile {
  /** Where the gateway reaches the subgraph unless `<SERVICE>_URL` says otherwise. */
  url: string;
}

export interface Manifest {
  $comment: string;
  composedWith: string;
  supergraph: PublishedFile;
  apiSchema: PublishedFile;
  subgraphs: Record<string, PublishedSubgraph>;
  /** Services listed in microservices.config.json that had no code when this was published. */
  notBuilt: string[];
}

export interface RegistrySnapshot {
  manifest: Manifest | null;
  supergraphSdl: string | null;
  apiSchemaSdl: string | null;
  /** Subgraph SDLs found on disk, for the names the manifest lists. */
  subgraphSdls: Map<string, string>;
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** One trailing newline, so that a file and the SDL it came from compare equal. */
export function normalizeSdl(sdl: string): string {
  return `${sdl.trimEnd()}\n`;
}

export function subgraphFile(name: string): string {
  return `${name}.graphql`;
}

function readIfExists(file: string): string | null {
  return existsSync(file) ? readFileSync(file, "utf8") : null;
}

export class ManifestError extends Error {}

export function readManifest(dir: string): Manifest | null {
  const text = readIfExists(path.join(dir, MANIFEST_FILE));
  if (text === null) return null;
  try {
    return JSON.parse(text) as Manifest;
  } catch (error) {
    throw new ManifestError(`${path.join(dir, MANIFEST_FILE)} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function readRegistry(dir: string, extraSubgraphNames: string[] = []): RegistrySnapshot {
  const manifest = readManifest(dir);
  const subgraphSdls = new Map<string, string>();
  for (const name of new Set([...Object.keys(manifest?.subgraphs ?? {}), ...extraSubgraphNames])) {
    const sdl = readIfExists(path.join(dir, manifest?.subgraphs[name]?.file ?? subgraphFile(name)));
    if (sdl !== null) subgraphSdls.set(name, sdl);
  }
  return {
    manifest,
    supergraphSdl: readIfExists(path.join(dir, SUPERGRAPH_FILE)),
    apiSchemaSdl: readIfExists(path.join(dir, API_SCHEMA_FILE)),
    subgraphSdls,
  };
}

function compositionVersion(): string {
  const require = createRequire(import.meta.url);
  const { version } = require("@apollo/composition/package.json") as { version: string };
  return `@apollo/composition ${version}`;
}

export interface RegistryContent {
  /** File name (inside the registry folder) → content. */
  files: Map<string, string>;
  manifest: Manifest;
}

/** What the registry should contain for these subgraphs and their composition; publish dates kept where unchanged. */
export function registryContent(options: {
  subgraphs: SubgraphSource[];
  supergraphSdl: string;
  apiSchemaSdl: string;
  previous: Manifest | null;
  notBuilt: string[];
  now: Date;
}): RegistryContent {
  const { subgraphs, supergraphSdl, apiSchemaSdl, previous, notBuilt, now } = options;
  const files = new Map<string, string>();
  const published = (file: string, content: string, before: PublishedFile | undefined): PublishedFile => {
    files.set(file, content);
    const hash = sha256(content);
    return { file, sha256: hash, publishedAt: before && before.sha256 === hash ? before.publishedAt : now.toISOString() };
  };
  const manifestSubgraphs: Record<string, PublishedSubgraph> = {};
  for (const subgraph of subgraphs) {
    const entry = published(subgraphFile(subgraph.name), normalizeSdl(subgraph.sdl), previous?.subgraphs[subgraph.name]);
    manifestSubgraphs[subgraph.name] = { ...entry, url: subgraph.url };
  }
  const manifest: Manifest = {
    $comment: "Written by `pnpm schema:publish` / `pnpm microservices:sync`; do not edit. Announced breaking changes go in announcements.json.",
    composedWith: compositionVersion(),
    supergraph: published(SUPERGRAPH_FILE, normalizeSdl(supergraphSdl), previous?.supergraph),
    apiSchema: published(API_SCHEMA_FILE, normalizeSdl(apiSchemaSdl), previous?.apiSchema),
    subgraphs: manifestSubgraphs,
    notBuilt: [...notBuilt],
  };
  files.set(MANIFEST_FILE, `${JSON.stringify(manifest, null, 2)}\n`);
  return { files, manifest };
}

/** Writes each file through a temporary file and a rename (the gateway watches the folder); the supergraph last. */
export function writeRegistry(dir: string, content: RegistryContent, previous: Manifest | null): string[] {
  mkdirSync(dir, { recursive: true });
  const changed: string[] = [];
  const order = [...content.files.keys()].sort((a, b) => Number(a === SUPERGRAPH_FILE) - Number(b === SUPERGRAPH_FILE));
  for (const file of order) {
    const text = content.files.get(file) ?? "";
    const target = path.join(dir, file);
    if (readIfExists(target) === text) continue;
    const temporary = `${target}.${process.pid}.tmp`;
    writeFileSync(temporary, text);
    renameSync(temporary, target);
    changed.push(file);
  }
  // Subgraphs published before and not any more.
  for (const [name, entry] of Object.entries(previous?.subgraphs ?? {})) {
    if (content.manifest.subgraphs[name]) continue;
    const target = path.join(dir, entry.file);
    if (existsSync(target)) {
      rmSync(target);
      changed.push(`${entry.file} (removed)`);
    }
  }
  return changed;
}

/**
 * How the files on disk differ from what the code produces (publish dates aside): one line per file.
 * Empty when the registry is up to date.
 */
export function registryDifferences(dir: string, expected: RegistryContent, current: RegistrySnapshot): string[] {
  const differences: string[] = [];
  const relative = (file: string) => path.join(path.relative(process.cwd(), dir) || ".", file);
  for (const [file, text] of expected.files) {
    if (file === MANIFEST_FILE) continue;
    const onDisk = readIfExists(path.join(dir, file));
    if (onDisk === null) differences.push(`${relative(file)} is missing`);
    else if (onDisk !== text) differences.push(`${relative(file)} differs from what the code produces`);
  }
  const manifest = current.manifest;
  if (!manifest) {
    differences.push(`${relative(MANIFEST_FILE)} is missing`);
    return differences;
  }
  for (const name of Object.keys(manifest.subgraphs)) {
    if (!expected.manifest.subgraphs[name]) differences.push(`${relative(subgraphFile(name))} is published, but the code has no subgraph "${name}"`);
  }
  for (const [name, entry] of Object.entries(expected.manifest.subgraphs)) {
    const published = manifest.subgraphs[name];
    if (!published) differences.push(`${relative(MANIFEST_FILE)} does not list subgraph "${name}"`);
    else if (published.url !== entry.url) differences.push(`${relative(MANIFEST_FILE)} has ${published.url} for "${name}", the config says ${entry.url}`);
  }
  const listedNotBuilt = [...manifest.notBuilt].sort().join(",");
  if (listedNotBuilt !== [...expected.manifest.notBuilt].sort().join(",")) {
    differences.push(`${relative(MANIFEST_FILE)} lists [${manifest.notBuilt.join(", ")}] as not built, now [${expected.manifest.notBuilt.join(", ")}]`);
  }
  return differences;
}

/** The manifest's hashes against the files (a hand-edited registry file shows here). */
export function manifestProblems(dir: string, manifest: Manifest): string[] {
  const problems: string[] = [];
  const entries: PublishedFile[] = [manifest.supergraph, manifest.apiSchema, ...Object.values(manifest.subgraphs)];
  for (const entry of entries) {
    const text = readIfExists(path.join(dir, entry.file));
    if (text === null) problems.push(`${entry.file} is listed in ${MANIFEST_FILE} but missing`);
    else if (sha256(text) !== entry.sha256) problems.push(`${entry.file} does not match its sha256 in ${MANIFEST_FILE} (edited by hand? publish it with pnpm schema:publish)`);
  }
  return problems;
}
