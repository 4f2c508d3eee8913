// The environment of every database tool (migrate, seed, tests), read and checked in this one module:
// DATABASE_URL, TEST_DATABASE_URL, NODE_ENV.
export const DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/watchflixx";
export const DEFAULT_TEST_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/watchflixx_test";

export class ConfigError extends Error {}

/** Returns a well-formed PostgreSQL URL, or throws a ConfigError whose message names the variable. */
export function parseDatabaseUrl(value: string | undefined, variable = "DATABASE_URL"): string {
  const url = value?.trim() || DEFAULT_DATABASE_URL;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`${variable} is not a valid URL (expected postgresql://user@host:port/database).`);
  }
  if (parsed.protocol !== "postgresql:" && parsed.protocol !== "postgres:") {
    throw new ConfigError(`${variable} must start with postgresql:// (got ${parsed.protocol}//).`);
  }
  if (!parsed.hostname || parsed.pathname.length < 2) {
    throw new ConfigError(`${variable} must name a host and a database (postgresql://user@host:port/database).`);
  }
  return url;
}

/** DATABASE_URL, checked (throws a ConfigError). */
export function databaseUrlFromEnvironment(): string {
  return parseDatabaseUrl(process.env.DATABASE_URL);
}

/** DATABASE_URL for a command-line tool: a bad one prints the reason and exits. */
export function readDatabaseUrl(): string {
  try {
    return databaseUrlFromEnvironment();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

/** Where test databases are created: TEST_DATABASE_URL's server (its database name is only a prefix). */
export function readTestDatabaseUrl(): string {
  return parseDatabaseUrl(process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL, "TEST_DATABASE_URL");
}

export function readNodeEnv(): string | undefined {
  return process.env.NODE_ENV;
}

/** This process's environment with some variables changed: what a tool hands to a child process. */
export function environmentWith(changes: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...changes };
}
