// DATABASE_URL, read and checked in one place for every database tool (migrate, seed, tests).
export const DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/watchflixx";

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

export function readDatabaseUrl(): string {
  try {
    return parseDatabaseUrl(process.env.DATABASE_URL);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
