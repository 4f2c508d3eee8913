// Embedded mode's environment, read here only. The services it starts in this process read their own
// configuration from the environment, so the embedded database's address is handed to them through it.
export function embeddedEnvironment(): NodeJS.ProcessEnv {
  return process.env;
}

/** Every service started after this call connects to `databaseUrl`. */
export function useDatabaseUrl(databaseUrl: string): void {
  process.env.DATABASE_URL = databaseUrl;
}
