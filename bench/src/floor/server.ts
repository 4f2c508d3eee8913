// The floor: what the same screens cost with no GraphQL at all. One small Node process, hand-written SQL over
// `pg` (one pool), answering POST /graphql with exactly the JSON the supergraph returns for the same document
// and variables (the benchmark checks that before it measures, bench/src/deployment/index.ts). It does not
// parse the document: it reads `operationName` and the variables, which is all it needs for the screens it
// serves; any other operation is a 404, and the benchmark leaves that screen's floor out.
import http from "node:http";
import pg from "pg";
import { floorCaller } from "./auth.ts";
import { SCREEN_QUERIES } from "./queries.ts";

// timestamp(3) columns hold UTC (Prisma's convention): read them as such, whatever the machine's time zone.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMP, (value) => new Date(`${value.replace(" ", "T")}Z`));

const port = Number(process.env.FLOOR_PORT);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const jwtSecret = process.env.JWT_ACCESS_SECRET ?? "";

function reply(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

const server = http.createServer((req, res) => {
  if (req.method === "GET" && req.url === "/health") return reply(res, 200, '{"status":"ok"}');
  if (req.method !== "POST" || req.url !== "/graphql") return reply(res, 404, "{}");
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    let request: { operationName?: string; variables?: Record<string, unknown> };
    try {
      request = JSON.parse(Buffer.concat(chunks).toString("utf8")) as typeof request;
    } catch {
      return reply(res, 400, "{}");
    }
    const handler = request.operationName ? SCREEN_QUERIES[request.operationName] : undefined;
    if (!handler) return reply(res, 404, "{}");
    let caller;
    try {
      caller = floorCaller(req.headers.authorization, jwtSecret);
    } catch (error) {
      return reply(res, 200, JSON.stringify({ errors: [{ message: error instanceof Error ? error.message : String(error) }] }));
    }
    handler({ pool, caller }, request.variables ?? {}).then(
      (data) => reply(res, 200, JSON.stringify({ data })),
      (error: unknown) => reply(res, 500, JSON.stringify({ errors: [{ message: error instanceof Error ? error.message : String(error) }] })),
    );
  });
});
server.keepAliveTimeout = 60_000;
server.listen(port, "127.0.0.1");
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    server.close();
    void pool.end().finally(() => process.exit(0));
  });
}
