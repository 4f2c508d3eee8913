// `db:reset` drops a database: in production it takes `--force`, so a stray NODE_ENV=production shell
// never wipes real data by habit. (Interactive shells are also asked; see migrate.ts.)
export function resetRefusal(options: { nodeEnv: string | undefined; force: boolean; databaseUrl: string }): string | null {
  if (options.nodeEnv !== "production" || options.force) return null;
  const url = new URL(options.databaseUrl);
  return `Refusing to reset ${url.pathname.slice(1)} on ${url.host}: NODE_ENV=production. This drops every table and its data; run \`pnpm db:reset --force\` if you mean it.`;
}
