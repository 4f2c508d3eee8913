// `pnpm codegen`: generate clients/src/gql/ from the registry's API schema and the client operations
// (configuration: codegen.ts at the repository root).
// It also writes clients/persisted-query-manifest.json, the trusted documents (persisted-query-manifest.ts).
// `pnpm codegen:check`: generate in memory and fail when clients/src/gql/ or the manifest differs (stale or edited by hand).
// `--skip-invalid-operations` (interim, off by default): leave out operations that do not validate against
// the current API schema (subgraphs not built yet) instead of failing; each one left out is listed.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { generate } from "@graphql-codegen/cli";
import { buildSchema, Kind, parse, print, validate, type DefinitionNode, type DocumentNode } from "graphql";
import config, { API_SCHEMA, MANIFEST, OUTPUT_DIR } from "../../codegen.ts";
import { buildPersistedQueryManifest, manifestFileContent } from "./persisted-query-manifest.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const outputDir = path.join(root, OUTPUT_DIR);

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const full = path.join(dir, entry);
      return statSync(full).isDirectory() ? filesUnder(full) : [full];
    });
}

/** The folder part of a documents glob (`../shared/operations/**\/*.graphql` → `../shared/operations`). */
function globBase(pattern: string): string {
  return pattern.split("/").filter((part, index, parts) => !parts.slice(0, index + 1).some((p) => p.includes("*"))).join("/");
}

/** Every operation file the document globs name, with its source (what the manifest is built from). */
function operationFiles(documents: readonly string[]): Array<{ path: string; source: string }> {
  return documents.flatMap((pattern) =>
    filesUnder(path.resolve(root, globBase(pattern)))
      .filter((file) => file.endsWith(".graphql"))
      .map((file) => ({ path: path.relative(root, file), source: readFileSync(file, "utf8") })),
  );
}

/**
 * Copies the operation files to a temporary folder without the operations that do not validate against the
 * schema; returns the new document globs and what was left out.
 */
function validDocumentsOnly(tempDir: string): { documents: string[]; skipped: string[] } {
  const schema = buildSchema(readFileSync(path.join(root, API_SCHEMA), "utf8"));
  const skipped: string[] = [];
  const documents: string[] = [];
  config.documents.forEach((pattern, index) => {
    const base = path.resolve(root, globBase(pattern));
    const target = path.join(tempDir, String(index));
    for (const file of filesUnder(base).filter((name) => name.endsWith(".graphql"))) {
      const document = parse(readFileSync(file, "utf8"));
      const fragments = document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION);
      const kept: DefinitionNode[] = [...fragments];
      for (const definition of document.definitions) {
        if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
        const single: DocumentNode = { kind: Kind.DOCUMENT, definitions: [definition, ...fragments] };
        const errors = schema.getRootType(definition.operation)
          ? validate(schema, single)
          : [{ message: `The supergraph has no ${definition.operation} root type.` }];
        if (errors.length === 0) kept.push(definition);
        else skipped.push(`${path.relative(root, file)} ${definition.name?.value ?? "(anonymous)"}: ${errors[0]?.message}`);
      }
      if (kept.length === fragments.length && fragments.length === 0) continue;
      const out = path.join(target, path.relative(base, file));
      mkdirSync(path.dirname(out), { recursive: true });
      writeFileSync(out, `${kept.map((definition) => print(definition)).join("\n\n")}\n`);
    }
    documents.push(path.join(target, "**/*.graphql"));
  });
  return { documents, skipped };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { check: { type: "boolean", default: false }, "skip-invalid-operations": { type: "boolean", default: false } },
    strict: true,
  });
  if (!existsSync(path.join(root, API_SCHEMA))) {
    process.stderr.write(`error: ${API_SCHEMA} does not exist; run pnpm schema:publish first\n`);
    return 1;
  }
  let tempDir: string | undefined;
  let documents = config.documents;
  if (values["skip-invalid-operations"]) {
    tempDir = mkdtempSync(path.join(os.tmpdir(), "watchflixx-codegen-"));
    const filtered = validDocumentsOnly(tempDir);
    documents = filtered.documents;
    for (const line of filtered.skipped) process.stdout.write(`warning: left out (--skip-invalid-operations): ${line}\n`);
  }
  try {
    // `generate` is typed loosely (it also serves watch mode); without saving it returns the files.
    const outputs: Array<{ filename: string; content: string }> = await generate({ ...config, documents, cwd: root, silent: true }, false);
    const expected = new Map(outputs.map((output) => [path.resolve(root, output.filename), output.content]));
    expected.set(path.join(root, MANIFEST), manifestFileContent(buildPersistedQueryManifest(operationFiles(documents))));
    if (values.check) {
      const stale: string[] = [];
      for (const [file, content] of expected) {
        if (!existsSync(file)) stale.push(`${path.relative(root, file)} is missing`);
        else if (readFileSync(file, "utf8") !== content) stale.push(`${path.relative(root, file)} differs from what codegen generates`);
      }
      for (const file of filesUnder(outputDir)) if (!expected.has(file)) stale.push(`${path.relative(root, file)} is not generated any more`);
      if (stale.length > 0) {
        process.stdout.write(`error: the generated client documents are stale: run pnpm codegen and commit ${OUTPUT_DIR} and ${MANIFEST}\n${stale.map((line) => `  ${line}`).join("\n")}\n`);
        return 1;
      }
      process.stdout.write(`codegen check passed: ${OUTPUT_DIR} is up to date (${expected.size} files)\n`);
      return 0;
    }
    mkdirSync(outputDir, { recursive: true });
    for (const file of filesUnder(outputDir)) if (!expected.has(file)) rmSync(file);
    const written: string[] = [];
    for (const [file, content] of expected) {
      if (existsSync(file) && readFileSync(file, "utf8") === content) continue;
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
      written.push(path.relative(root, file));
    }
    process.stdout.write(written.length > 0 ? `codegen: wrote ${written.join(", ")}\n` : `codegen: ${OUTPUT_DIR} already up to date\n`);
    return 0;
  } finally {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Codegen's errors (an operation that does not validate, say) carry the details in `details`/`errors`.
    const details = error instanceof Error && "details" in error ? String((error as { details: unknown }).details) : "";
    process.stderr.write(`error: codegen failed: ${error instanceof Error ? error.message : String(error)}\n${details}\n`);
    process.exit(1);
  },
);
