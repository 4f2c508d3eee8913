// Prisma's schema engine, compiled to WebAssembly, driven through @prisma/adapter-pg.
//
// The native `prisma migrate` needs an engine binary that cannot be downloaded on our machines, and no
// Prisma 7 setting makes the stock CLI use a driver adapter. The wasm build is the same engine: it writes the
// same SQL and keeps `_prisma_migrations` exactly as the native CLI does, so a user with the native CLI sees
// the same state. Everything that touches the engine lives in this folder.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";

const require = createRequire(import.meta.url);

/** PostgreSQL's internal one-byte `"char"` type (pg_catalog columns such as `relkind`). */
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

type QueryResultLike = { fields?: Array<{ dataTypeID: number }> };

function charColumnsAsText<T>(result: T): T {
  const fields = (result as QueryResultLike | undefined)?.fields;
  if (fields) for (const field of fields) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
  return result;
}

/**
 * A pool whose results report `"char"` columns as text. The engine's catalog queries return such columns,
 * and adapter-pg 7.10.1 has no column type for them ("Column type 'char' could not be deserialized").
 * The value itself is a one-character string either way. adapter-pg is pinned exactly because of this.
 */
class CatalogFriendlyPool extends pg.Pool {
  private readonly patchedClients = new WeakSet<object>();

  constructor(config: pg.PoolConfig) {
    super(config);
    // Dropping a shadow database WITH (FORCE) terminates its idle connections; that is expected, not a crash.
    this.on("error", (error: Error & { code?: string }) => {
      if (error.code !== "57P01") console.error(`database connection error: ${error.message}`);
    });
  }

  override query(...args: unknown[]): never {
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    return (result instanceof Promise ? result.then(charColumnsAsText) : result) as never;
  }

  override connect(...args: unknown[]): never {
    const patch = (client: pg.PoolClient): pg.PoolClient => {
      if (!this.patchedClients.has(client)) {
        this.patchedClients.add(client);
        const query = client.query.bind(client) as (...a: unknown[]) => unknown;
        (client as { query: unknown }).query = (...queryArgs: unknown[]) => {
          const result = query(...queryArgs);
          return result instanceof Promise ? result.then(charColumnsAsText) : result;
        };
      }
      return client;
    };
    if (typeof args[0] === "function") {
      const callback = args[0] as (err: Error | undefined, client?: pg.PoolClient, done?: unknown) => void;
      return (super.connect as unknown as (cb: unknown) => never)((err: Error | undefined, client?: pg.PoolClient, done?: unknown) =>
        callback(err, client ? patch(client) : client, done),
      );
    }
    return (super.connect as unknown as () => Promise<pg.PoolClient>)().then(patch) as never;
  }
}

export function databaseNameOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ""));
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Runs `fn` against the server's maintenance database (`postgres`), for CREATE/DROP DATABASE. */
export async function withMaintenanceClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(url, "postgres") });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function databaseExists(url: string): Promise<boolean> {
  return withMaintenanceClient(url, async (client) => {
    const result = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [databaseNameOf(url)]);
    return result.rowCount === 1;
  });
}

export async function createDatabase(url: string, template?: string): Promise<void> {
  await withMaintenanceClient(url, (client) =>
    client.query(`CREATE DATABASE ${quoteIdent(databaseNameOf(url))}${template ? ` TEMPLATE ${quoteIdent(template)}` : ""}`),
  );
}

export async function dropDatabase(url: string): Promise<void> {
  await withMaintenanceClient(url, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${quoteIdent(databaseNameOf(url))} WITH (FORCE)`),
  );
}

type AdapterInternals = SqlDriverAdapter & { onError(error: unknown): never };

/**
 * An adapter-pg connection whose `executeScript` sends a migration script to PostgreSQL whole, as the native
 * engine does. adapter-pg splits scripts on every ";", which breaks dollar-quoted function bodies and any
 * ";" inside a comment or string. Sent whole through the simple query protocol, a multi-statement script
 * also runs as one implicit transaction: a migration applies completely or not at all.
 */
async function connectAdapter(url: string, max: number): Promise<SqlDriverAdapter> {
  const pool = new CatalogFriendlyPool({ connectionString: url, max });
  const adapter = (await new PrismaPg(pool, { disposeExternalPool: true }).connect()) as unknown as AdapterInternals;
  adapter.executeScript = async (script: string) => {
    try {
      await pool.query(script);
    } catch (error) {
      adapter.onError(error);
    }
  };
  return adapter;
}

/**
 * The engine's adapter factory: the target database, plus a shadow database that is ours to create and drop.
 * (adapter-pg's own shadow handling drops the database before ending its pool, which fails and leaks
 * `prisma_migrate_shadow_db_*` databases.)
 */
function migrationAdapterFactory(url: string, opened: SqlDriverAdapter[]): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    // One connection: the engine takes a session-level advisory lock for migrations and must release it on
    // the same session; with a larger pool the unlock can land elsewhere and the lock lingers.
    connect: async () => {
      const adapter = await connectAdapter(url, 1);
      opened.push(adapter);
      return adapter;
    },
    async connectToShadowDb(): Promise<SqlDriverAdapter> {
      const shadowUrl = withDatabase(url, `prisma_migrate_shadow_db_${crypto.randomUUID().replaceAll("-", "")}`);
      await createDatabase(shadowUrl);
      const adapter = await connectAdapter(shadowUrl, 1);
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        await dropDatabase(shadowUrl);
      };
      return adapter;
    },
  };
}

type WasmBindings = typeof import("@prisma/schema-engine-wasm") & { __wbg_set_wasm(exports: unknown): void };

interface WasmApi {
  instantiate(bytes: Uint8Array, imports: Record<string, unknown>): Promise<{ instance: { exports: Record<string, unknown> } }>;
}

let bindings: Promise<WasmBindings> | undefined;

/** Node 20 cannot `import` a .wasm module: instantiate it by hand and hand its exports to the JS glue. */
function loadBindings(): Promise<WasmBindings> {
  bindings ??= (async () => {
    const glue = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as unknown as WasmBindings;
    // The package exports only its JS glue; the .wasm file sits beside it.
    const wasmPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg").replace(/\.js$/, ".wasm");
    // Node's types declare WebAssembly's types but not the global value (that lives in the DOM lib).
    const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const { instance } = await wasm.instantiate(await readFile(wasmPath), { "./schema_engine_bg.js": glue });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
    return glue;
  })();
  return bindings;
}

export interface EngineOptions {
  databaseUrl: string;
  schemaPath: string;
  /** Receives the engine's own log lines (JSON); silent by default. */
  log?: (line: string) => void;
}

export interface OpenEngine {
  engine: SchemaEngine;
  /** Frees the engine and closes its connections, which also releases its migration advisory lock. */
  close(): Promise<void>;
}

export async function openSchemaEngine(options: EngineOptions): Promise<OpenEngine> {
  const { SchemaEngine: Engine } = await loadBindings();
  const schema = await readFile(options.schemaPath, "utf8");
  const opened: SqlDriverAdapter[] = [];
  const engine = await Engine.new(
    { datamodels: [[options.schemaPath, schema]] },
    (line: string) => options.log?.(line),
    bindMigrationAwareSqlAdapterFactory(migrationAdapterFactory(options.databaseUrl, opened)),
  );
  return {
    engine,
    async close() {
      engine.free();
      await Promise.all(opened.splice(0).map((adapter) => adapter.dispose()));
    },
  };
}
